import type { Issue, IssueAction, Me } from '@/api/types';
import { ISSUE_ACTIONS } from '@/api/types';
import type { StepName } from '../api/issue-actions';

const OPEN = new Set(['registered', 'assigned', 'returned', 'in_progress', 'pending_review']);

function isAction(value: string): value is IssueAction {
  return (ISSUE_ACTIONS as readonly string[]).includes(value);
}

/**
 * Fallback when the API does not send `allowed_actions`: an approximation of the
 * status machine in DESIGN.md by role. The server stays the judge (409 otherwise).
 */
export function deriveActions(issue: Issue, user: Me | undefined): IssueAction[] {
  if (!user) return [];
  const s = issue.status;
  const out: IssueAction[] = [];
  if (user.role === 'office' || user.role === 'admin') {
    if (s === 'registered') out.push('assign');
    if (s === 'returned') out.push('reassign');
    if (s === 'pending_review') out.push('close', 'reject_completion');
    if (s === 'closed') out.push('reopen');
    if ((issue.extension_requests ?? []).some((r) => r.status === 'pending')) out.push('decide_extension');
    if (OPEN.has(s) && s !== 'registered') out.push('urge');
    if (OPEN.has(s)) out.push('cancel');
  }
  if (user.role === 'unit' && user.unit_id && user.unit_id === issue.lead_unit_id) {
    if (s === 'assigned') out.push('accept', 'return');
    if (s === 'in_progress') out.push('progress', 'submit_completion', 'request_extension');
  }
  if (user.role === 'leader' || user.role === 'admin') out.push('instruct');
  return out;
}

export interface AllowedSteps {
  steps: StepName[];
  /** true when the list was derived on the client, not given by the API */
  derived: boolean;
}

/** Steps to offer on an issue: the API's allowed_actions, plus the user's own co-unit part. */
export function allowedSteps(issue: Issue, user: Me | undefined): AllowedSteps {
  const fromApi = Array.isArray(issue.allowed_actions);
  const actions = fromApi ? (issue.allowed_actions ?? []).filter(isAction) : deriveActions(issue, user);
  const steps: StepName[] = [...actions];
  const part = user?.unit_id ? issue.co_units?.find((p) => p.unit_id === user.unit_id) : undefined;
  const isCoUnit = user?.unit_id ? (issue.co_unit_ids ?? []).includes(user.unit_id) : false;
  const open = issue.status === 'in_progress' || issue.status === 'assigned';
  if (isCoUnit && open) {
    if (!part) steps.push('co_accept', 'co_contribution');
    else if (part.status === 'pending') steps.push('co_accept');
    else if (part.status === 'accepted') steps.push('co_contribution');
  }
  return { steps, derived: !fromApi };
}
