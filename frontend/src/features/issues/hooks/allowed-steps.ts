import type { Issue, IssueAction } from '@/api/types';
import { ISSUE_ACTIONS } from '@/api/types';

function isAction(value: string): value is IssueAction {
  return (ISSUE_ACTIONS as readonly string[]).includes(value);
}

/**
 * Steps to offer on an issue: exactly the API's `allowed_actions` (the server applies the
 * workflow table, the caller's role and relation to the issue); names the app has no form for are dropped.
 */
export function allowedSteps(issue: Issue): IssueAction[] {
  return (issue.allowed_actions ?? []).filter(isAction);
}
