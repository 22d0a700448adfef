export { ReportsPage } from './components/reports-page';
export { MeetingsPage } from './components/meetings-page';
