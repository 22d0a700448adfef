export { SubmitPage } from './components/submit-page';
export { TrackPage } from './components/track-page';
