export { ReportsPage } from './components/reports-page';
export { MeetingsPage } from './components/meetings-page';
export { CockpitPage } from './components/cockpit-page';
export { BoardPage } from './components/board-page';
