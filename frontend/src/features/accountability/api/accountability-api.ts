import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiPost } from '@/api/client';
import type { PageIssueOut, PageRecordOut, RecordCreate, RecordOut } from '@/api/generated/openapi';

const base = '/api/v1/accountability-records';
export const PAGE_SIZE = 20;

export interface RecordFilters {
  unit_id?: string | undefined;
  campaign_id?: string | undefined;
}

/** Query-option factories: the one source of this feature's query keys. */
export const accountabilityQueries = {
  all: () => ['accountability'] as const,
  list: (filters: RecordFilters) =>
    infiniteQueryOptions({
      queryKey: [...accountabilityQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageRecordOut>(base, { ...filters, cursor: pageParam, limit: PAGE_SIZE }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  /** the unit's issues (lead or co-unit) matching `q`, to name in a record */
  unitIssues: (unitId: string, q: string) =>
    queryOptions({
      queryKey: [...accountabilityQueries.all(), 'unit-issues', unitId, q] as const,
      queryFn: ({ signal }) => apiGet<PageIssueOut>('/api/v1/issues', { unit_id: unitId, q: q || undefined, limit: 20 }, signal),
    }),
};

/** 登记: office and admin; 422 names the field (an issue not the unit's, a day in the future). */
export function createRecord(body: RecordCreate): Promise<RecordOut> {
  return apiPost<RecordOut>(base, body);
}

/** 上传决定文书 (office, admin): replaces an earlier one; 415 for a type that is not allowed. */
export function uploadDocument(id: string, file: File): Promise<RecordOut> {
  const form = new FormData();
  form.append('file', file);
  return apiPost<RecordOut>(`${base}/${encodeURIComponent(id)}/document`, form);
}

export function downloadDocument(record: RecordOut): Promise<void> {
  return apiDownload(`${base}/${encodeURIComponent(record.id)}/document`, record.document_file?.name ?? 'document');
}
