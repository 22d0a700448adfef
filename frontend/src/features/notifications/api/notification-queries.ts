import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { PageNotificationOut } from '@/api/generated/openapi';

export const notificationQueries = {
  all: () => ['notifications'] as const,
  list: (unreadOnly: boolean) =>
    infiniteQueryOptions({
      queryKey: [...notificationQueries.all(), 'list', { unreadOnly }] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageNotificationOut>(
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

/** 全部标为已读: every unread message of the caller; answers how many it marked. */
export function markAllRead(): Promise<{ marked: number }> {
  return apiPost<{ marked: number }>('/api/v1/notifications/read-all');
}

/** Where a message leads: its issue, the intake queue for a new public submission, or nowhere. */
export function itemLink(item: { issue_id: string | null; intake_id: string | null }): string | null {
  if (item.issue_id) return `/issues/${encodeURIComponent(item.issue_id)}`;
  if (item.intake_id) return `/intake?item=${encodeURIComponent(item.intake_id)}`;
  return null;
}
