export { IssueListPage } from './components/issue-list-page';
export { IssueDetailPage } from './components/issue-detail-page';
export { IssueCreatePage, IssueEditPage } from './components/issue-form-pages';
export { issueQueries } from './api/issue-queries';
