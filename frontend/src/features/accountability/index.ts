export { AccountabilityPage } from './components/accountability-page';
