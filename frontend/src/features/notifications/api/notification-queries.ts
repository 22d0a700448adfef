import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { Notification, Page } from '@/api/types';

export const notificationQueries = {
  all: () => ['notifications'] as const,
  list: (unreadOnly: boolean) =>
    infiniteQueryOptions({
      queryKey: [...notificationQueries.all(), 'list', { unreadOnly }] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<Page<Notification>>(
          '/api/v1/notifications',
          { unread: unreadOnly ? true : undefined, cursor: pageParam, limit: 20 },
          signal,
        ),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  /** unread count for the header badge (GET /notifications/unread-count → {unread}) */
  unreadCount: () =>
    queryOptions({
      queryKey: [...notificationQueries.all(), 'unread-count'] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<{ unread: number }>('/api/v1/notifications/unread-count', undefined, signal)).unread,
      refetchInterval: 60_000,
      retry: false,
    }),
};

export function markRead(id: string): Promise<unknown> {
  return apiPost<unknown>(`/api/v1/notifications/${encodeURIComponent(id)}/read`);
}
