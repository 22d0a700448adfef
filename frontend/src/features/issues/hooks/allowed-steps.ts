import { issueDetailAllowed_actionsValues, type IssueDetail } from '@/api/generated/openapi';
import type { StepName } from '../api/issue-actions';

function isAction(value: string): value is StepName {
  return (issueDetailAllowed_actionsValues as readonly string[]).includes(value);
}

/**
 * Steps to offer on an issue: exactly the API's `allowed_actions` (the server applies the
 * workflow table, the caller's role and relation to the issue); names the app has no form for are dropped.
 */
export function allowedSteps(issue: Pick<IssueDetail, 'allowed_actions'>): StepName[] {
  return issue.allowed_actions.filter(isAction);
}
