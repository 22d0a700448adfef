import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { Escalation, Issue, Page } from '@/api/types';

const base = '/api/v1/escalations';

export interface EscalationFilters {
  issue_id?: string | undefined;
  unit_id?: string | undefined;
  level?: number | undefined;
}

export const PAGE_SIZE = 20;
/** the badge counts the first page of each numbered level; a unit rarely has more open notices */
const BADGE_PAGE = 100;

/** Query-option factories: the one source of the escalations feature's query keys. */
export const escalationQueries = {
  all: () => ['escalations'] as const,
  list: (filters: EscalationFilters) =>
    infiniteQueryOptions({
      queryKey: [...escalationQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<Page<Escalation>>(base, { ...filters, cursor: pageParam, limit: PAGE_SIZE }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  /** one issue's escalations (the issue page shows the first 50) */
  forIssue: (issueId: string) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'issue', issueId] as const,
      queryFn: ({ signal }) => apiGet<Page<Escalation>>(base, { issue_id: issueId, limit: 50 }, signal),
    }),
  /**
   * The unit's notices still to sign (levels 2 and 3 without acknowledged_at). The API has no
   * "unacknowledged" filter: two level-filtered first pages, counted here.
   */
  unacknowledgedCount: (unitId: string) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'unacknowledged', unitId] as const,
      queryFn: async ({ signal }) => {
        const pages = await Promise.all(
          [2, 3].map((level) => apiGet<Page<Escalation>>(base, { unit_id: unitId, level, limit: BADGE_PAGE }, signal)),
        );
        return pages.flatMap((p) => p.items).filter((e) => e.acknowledged_at === null).length;
      },
      refetchInterval: 60_000,
      retry: false,
    }),
  /** code and title for the issue column (the escalation carries only the id) */
  issueRef: (issueId: string) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'issue-ref', issueId] as const,
      queryFn: ({ signal }) => apiGet<Issue>(`/api/v1/issues/${encodeURIComponent(issueId)}`, undefined, signal),
      staleTime: 5 * 60_000,
      retry: false,
    }),
};

/** 签收: 403 for another unit, 404 unknown, 409 for a level that needs no acknowledgement; again is a no-op. */
export function acknowledgeEscalation(id: string): Promise<Escalation> {
  return apiPost<Escalation>(`${base}/${encodeURIComponent(id)}/acknowledge`);
}
