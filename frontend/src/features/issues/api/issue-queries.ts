import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiGet, apiRequest } from '@/api/client';
import type { ExtensionOut, IssueDetail, PageIssueOut, SavedViewOut, Timeline } from '@/api/generated/openapi';
import { type IssueFilters, pageQuery } from '../lib/ledger-query';

/** An issue as `GET /issues/{id}` answers it, with the ETag an edit sends back in `If-Match`. */
export interface IssueVersion {
  issue: IssueDetail;
  etag: string | null;
}

/** Query-option factories: the one source of the issues feature's query keys. */
export const issueQueries = {
  all: () => ['issues'] as const,
  lists: () => [...issueQueries.all(), 'list'] as const,
  /** One page of the ledger (1-based), `size` items, jumped to by offset. */
  page: (filters: IssueFilters, page: number, size: number) =>
    queryOptions({
      queryKey: [...issueQueries.lists(), filters, page, size] as const,
      queryFn: ({ signal }) => apiGet<PageIssueOut>('/api/v1/issues', pageQuery(filters, page, size), signal),
      placeholderData: keepPreviousData,
    }),
  /** The caller's saved views (常用筛选). */
  savedViews: () =>
    queryOptions({
      queryKey: [...issueQueries.all(), 'saved-views'] as const,
      queryFn: ({ signal }) => apiGet<SavedViewOut[]>('/api/v1/issues/saved-views', undefined, signal),
      staleTime: 60_000,
    }),
  details: () => [...issueQueries.all(), 'detail'] as const,
  detail: (id: string) =>
    queryOptions({
      queryKey: [...issueQueries.details(), id] as const,
      queryFn: async ({ signal }): Promise<IssueVersion> => {
        const { data, etag } = await apiRequest<IssueDetail>(`/api/v1/issues/${encodeURIComponent(id)}`, { signal });
        return { issue: data, etag: etag ?? `"${data.version}"` };
      },
    }),
  timeline: (id: string) =>
    queryOptions({
      queryKey: [...issueQueries.all(), 'timeline', id] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<Timeline>(`/api/v1/issues/${encodeURIComponent(id)}/timeline`, undefined, signal)).items,
    }),
  extensions: (id: string) =>
    queryOptions({
      queryKey: [...issueQueries.all(), 'extensions', id] as const,
      queryFn: ({ signal }) =>
        apiGet<ExtensionOut[]>(`/api/v1/issues/${encodeURIComponent(id)}/extension-requests`, undefined, signal),
    }),
};
