import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import type { PageIntakeOut, PageIssueOut } from '@/api/generated/openapi';
import { issueQueries } from '@/features/issues';
import { URGENCY, type IssueQueueFilter } from '../lib/queues';

export const QUEUE_PAGE_SIZE = 20;

/**
 * The workbenches' queries. Issue queues live under the issues feature's key, so every workflow step (which
 * invalidates ['issues']) recounts them; the counts are the `total` of a one-item page.
 */
export const workbenchQueries = {
  issues: (filter: IssueQueueFilter) =>
    infiniteQueryOptions({
      queryKey: [...issueQueries.all(), 'workbench', 'list', filter] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageIssueOut>('/api/v1/issues', { ...filter, sort: URGENCY, cursor: pageParam, limit: QUEUE_PAGE_SIZE }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  issueCount: (filter: IssueQueueFilter) =>
    queryOptions({
      queryKey: [...issueQueries.all(), 'workbench', 'count', filter] as const,
      queryFn: async ({ signal }) => (await apiGet<PageIssueOut>('/api/v1/issues', { ...filter, limit: 1 }, signal)).total,
    }),
  intake: () =>
    infiniteQueryOptions({
      queryKey: ['intake', 'workbench', 'list'] as const,
      // the longest waiting first: the public is owed an answer
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageIntakeOut>(
          '/api/v1/intake',
          { status: 'submitted', contacts: false, sort: 'submitted_at', cursor: pageParam, limit: QUEUE_PAGE_SIZE },
          signal,
        ),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  intakeCount: () =>
    queryOptions({
      queryKey: ['intake', 'workbench', 'count'] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<PageIntakeOut>('/api/v1/intake', { status: 'submitted', contacts: false, limit: 1 }, signal)).total,
    }),
};
