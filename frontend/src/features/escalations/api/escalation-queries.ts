import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { Escalation, Page } from '@/api/types';

const base = '/api/v1/escalations';

export interface EscalationFilters {
  issue_id?: string | undefined;
  unit_id?: string | undefined;
  level?: number | undefined;
  /** true: numbered notices (督办, 通报) not yet acknowledged */
  awaiting_acknowledgement?: boolean | undefined;
}

export const PAGE_SIZE = 20;

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
  /** the unit's numbered notices still to sign (督办, 通报 without acknowledged_at): the page's total */
  unacknowledgedCount: (unitId: string) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'unacknowledged', unitId] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<Page<Escalation>>(base, { unit_id: unitId, awaiting_acknowledgement: true, limit: 1 }, signal))
          .total,
      refetchInterval: 60_000,
      retry: false,
    }),
};

/** 签收: 403 for another unit, 404 unknown, 409 for a level that needs no acknowledgement; again is a no-op. */
export function acknowledgeEscalation(id: string): Promise<Escalation> {
  return apiPost<Escalation>(`${base}/${encodeURIComponent(id)}/acknowledge`);
}
