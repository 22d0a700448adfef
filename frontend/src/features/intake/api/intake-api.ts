import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { PublicSubmission } from '@citizen/types';
import { apiGet, apiPost } from '@/api/client';
import type { ContactOut, IntakeOut, PageIntakeOut, ReplyOut, SimilarIssue } from '@/api/generated/openapi';

export const INTAKE_STATUSES = ['submitted', 'accepted', 'merged', 'rejected'] as const;
/** The tabs of the triage page: the four statuses, the queue 不满意待处理 and all. */
export const INTAKE_TABS = [...INTAKE_STATUSES, 'followup', 'all'] as const;
export type IntakeTab = (typeof INTAKE_TABS)[number];

const base = '/api/v1/intake';
const issues = '/api/v1/issues';

function listQuery(tab: IntakeTab) {
  if (tab === 'all') return {};
  if (tab === 'followup') return { followup: 'pending' };
  return { status: tab };
}

export const intakeQueries = {
  all: () => ['intake'] as const,
  list: (tab: IntakeTab) =>
    infiniteQueryOptions({
      queryKey: [...intakeQueries.all(), 'list', { tab }] as const,
      // Without contacts: the office reveals one submitter's on demand, and that read is audited.
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageIntakeOut>(base, { ...listQuery(tab), contacts: false, cursor: pageParam, limit: 20 }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  similar: (id: string) =>
    queryOptions({
      queryKey: [...intakeQueries.all(), 'similar', id] as const,
      queryFn: ({ signal }) => apiGet<SimilarIssue[]>(`${base}/${encodeURIComponent(id)}/similar`, undefined, signal),
    }),
  publicView: (id: string) =>
    queryOptions({
      queryKey: [...intakeQueries.all(), 'public-view', id] as const,
      queryFn: ({ signal }) => apiGet<PublicSubmission>(`${base}/${encodeURIComponent(id)}/public-view`, undefined, signal),
    }),
  issueReplies: (issueId: string) =>
    queryOptions({
      queryKey: [...intakeQueries.all(), 'issue-replies', issueId] as const,
      queryFn: ({ signal }) => apiGet<ReplyOut[]>(`${issues}/${encodeURIComponent(issueId)}/public-replies`, undefined, signal),
    }),
  issuePublicView: (issueId: string) =>
    queryOptions({
      queryKey: [...intakeQueries.all(), 'issue-public-view', issueId] as const,
      queryFn: ({ signal }) =>
        apiGet<PublicSubmission>(`${issues}/${encodeURIComponent(issueId)}/public-view`, undefined, signal),
      retry: false,
    }),
};

export interface Assignment {
  lead_unit_id: string;
  deadline: string;
  co_unit_ids?: string[];
}

export type IntakeDecision =
  | { kind: 'accept'; assign?: Assignment; public_reply?: string }
  | { kind: 'merge'; issue_id: string; public_reply?: string }
  | { kind: 'reject'; reason: string };

export function decideIntake(id: string, decision: IntakeDecision): Promise<IntakeOut> {
  const { kind, ...body } = decision;
  return apiPost<IntakeOut>(`${base}/${encodeURIComponent(id)}/${kind}`, body);
}

export function replyToSubmission(id: string, reply: string): Promise<IntakeOut> {
  return apiPost<IntakeOut>(`${base}/${encodeURIComponent(id)}/reply`, { reply });
}

export function followUp(id: string, action: 'reopen' | 'answer', reason: string): Promise<IntakeOut> {
  return apiPost<IntakeOut>(`${base}/${encodeURIComponent(id)}/followup`, { action, reason });
}

/** The submitter's contacts: issues-api writes this read to the audit log. */
export function readContact(id: string): Promise<ContactOut> {
  return apiGet<ContactOut>(`${base}/${encodeURIComponent(id)}/contact`);
}

export function replyOnIssue(issueId: string, content: string): Promise<ReplyOut> {
  return apiPost<ReplyOut>(`${issues}/${encodeURIComponent(issueId)}/public-replies`, { content });
}
