export { IssueEvidence } from './components/issue-evidence';
