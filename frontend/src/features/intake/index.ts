export { IntakePage } from './components/intake-page';
