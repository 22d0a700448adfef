import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiGet, apiRequest, asItems } from '@/api/client';
import type { ExtensionRequest, Issue, Page, TimelineEntry } from '@/api/types';

export interface IssueFilters {
  status?: string;
  unit_id?: string;
  category_id?: string;
  source?: string;
  overdue?: boolean;
  q?: string;
  sort?: string;
}

export const PAGE_SIZE = 20;

export interface IssueDetail {
  issue: Issue;
  etag: string | null;
}

/** Query-option factories: the one source of the issues feature's query keys. */
export const issueQueries = {
  all: () => ['issues'] as const,
  lists: () => [...issueQueries.all(), 'list'] as const,
  list: (filters: IssueFilters) =>
    infiniteQueryOptions({
      queryKey: [...issueQueries.lists(), filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<Page<Issue>>(
          '/api/v1/issues',
          {
            ...filters,
            overdue: filters.overdue ? true : undefined,
            cursor: pageParam,
            limit: PAGE_SIZE,
          },
          signal,
        ),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  details: () => [...issueQueries.all(), 'detail'] as const,
  detail: (id: string) =>
    queryOptions({
      queryKey: [...issueQueries.details(), id] as const,
      queryFn: async ({ signal }): Promise<IssueDetail> => {
        const { data, etag } = await apiRequest<Issue>(`/api/v1/issues/${encodeURIComponent(id)}`, { signal });
        return { issue: data, etag: etag ?? (data.version !== undefined ? `"${data.version}"` : null) };
      },
    }),
  timeline: (id: string) =>
    queryOptions({
      queryKey: [...issueQueries.all(), 'timeline', id] as const,
      queryFn: async ({ signal }) =>
        asItems(
          await apiGet<TimelineEntry[] | { items?: TimelineEntry[] }>(
            `/api/v1/issues/${encodeURIComponent(id)}/timeline`,
            undefined,
            signal,
          ),
        ),
    }),
  extensions: (id: string) =>
    queryOptions({
      queryKey: [...issueQueries.all(), 'extensions', id] as const,
      queryFn: ({ signal }) =>
        apiGet<ExtensionRequest[]>(`/api/v1/issues/${encodeURIComponent(id)}/extension-requests`, undefined, signal),
    }),
};
