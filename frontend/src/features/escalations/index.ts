export { EscalationsPage } from './components/escalations-page';
export { EscalationsMenuLabel } from './components/escalations-menu-label';
export { IssueEscalations } from './components/issue-escalations';
export { escalationQueries } from './api/escalation-queries';
export { NoticeTable } from './components/notice-table';
export { NoticeDrawer } from './components/notice-drawer';
export { OpenNoticeButton } from './components/open-notice-button';
