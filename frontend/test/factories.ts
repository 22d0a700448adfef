/** Small typed factories of API answers: every field the generated types require, overridable per test. */
import type { IssueDetail, IssueOut, IssueTimelineEntry } from '@/api/generated/openapi';

export function issueOut(overrides: Partial<IssueOut> = {}): IssueOut {
  return {
    id: 'i1',
    code: 'YS-2026-0001',
    campaign_id: 'c1',
    category_id: null,
    phase_id: null,
    kind: 'problem',
    source: 'inspection',
    title: '审批时限过长',
    description: '企业反映审批时限过长',
    cause: null,
    measures: null,
    requirements: null,
    lead_unit_id: 'A',
    co_unit_ids: [],
    co_units: [],
    city: null,
    deadline: null,
    original_deadline: null,
    deadline_history: [],
    status: 'registered',
    progress_percent: 0,
    reopen_count: 0,
    return_count: 0,
    flagged: false,
    satisfaction: null,
    rating: null,
    overdue: false,
    created_at: '2026-01-01T00:00:00Z',
    assigned_at: null,
    accepted_at: null,
    submitted_at: null,
    closed_at: null,
    cancelled_at: null,
    last_progress_at: null,
    version: 1,
    ...overrides,
  };
}

export function issueDetail(overrides: Partial<IssueDetail> = {}): IssueDetail {
  return { ...issueOut(overrides), allowed_actions: [], ...overrides };
}

export function timelineEntry(overrides: Partial<IssueTimelineEntry> = {}): IssueTimelineEntry {
  return {
    seq: 1,
    type: 'issue.created',
    occurred_at: '2026-01-01T00:00:00Z',
    actor: { kind: 'user', id: 'u1', username: 'office', role: 'office', unit_id: null, display_name: '督查处', unit_name: null },
    data: {},
    ...overrides,
  };
}
