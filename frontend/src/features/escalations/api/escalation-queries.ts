import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiPost } from '@/api/client';
import type { EscalationOut, PageEscalationOut } from '@/api/generated/openapi';

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
        apiGet<PageEscalationOut>(base, { ...filters, cursor: pageParam, limit: PAGE_SIZE }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  /** one issue's escalations (the issue page shows the first 50) */
  forIssue: (issueId: string) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'issue', issueId] as const,
      queryFn: ({ signal }) => apiGet<PageEscalationOut>(base, { issue_id: issueId, limit: 50 }, signal),
    }),
  /** how many escalations match `filters` (the `total` of a one-item page) */
  count: (filters: EscalationFilters) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'count', filters] as const,
      queryFn: async ({ signal }) => (await apiGet<PageEscalationOut>(base, { ...filters, limit: 1 }, signal)).total,
    }),
  /** the unit's numbered notices still to sign (督办, 通报 without acknowledged_at): the page's total */
  unacknowledgedCount: (unitId: string) =>
    queryOptions({
      queryKey: [...escalationQueries.all(), 'unacknowledged', unitId] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<PageEscalationOut>(base, { unit_id: unitId, awaiting_acknowledgement: true, limit: 1 }, signal))
          .total,
      refetchInterval: 60_000,
      retry: false,
    }),
};

/** 签收: 403 for another unit, 404 unknown, 409 for a level that needs no acknowledgement; again is a no-op. */
export function acknowledgeEscalation(id: string): Promise<EscalationOut> {
  return apiPost<EscalationOut>(`${base}/${encodeURIComponent(id)}/acknowledge`);
}

/** The numbered notice (督办通知书 / 通报) of a level-2 or level-3 escalation as a Word document. */
export function downloadNotice(e: EscalationOut, fileName: string): Promise<void> {
  return apiDownload(`${base}/${encodeURIComponent(e.id)}/notice.docx`, fileName);
}
