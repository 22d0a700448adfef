export { IntakePage } from './components/intake-page';
export { IssuePublicReplies } from './components/issue-public-replies';
