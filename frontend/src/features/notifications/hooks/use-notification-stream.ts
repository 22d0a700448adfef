import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiResponse } from '@/api/client';
import { isApiError } from '@/api/problem';
import { notificationQueries } from '../api/notification-queries';
import { readSse } from '../api/sse';

function unreadOf(data: string): number | null {
  try {
    const value: unknown = JSON.parse(data);
    const unread = typeof value === 'object' && value !== null ? (value as { unread?: unknown }).unread : undefined;
    return typeof unread === 'number' ? unread : null;
  } catch {
    return null;
  }
}

/**
 * Live inbox updates from GET /api/v1/notifications/stream (SSE over fetch, bearer token).
 * The stream opens with `event: unread` ({unread: n}), which sets the badge; every
 * `notification` refreshes the inbox queries. Reconnects with backoff; gives up on 404
 * (stream not deployed) and falls back to the unread-count polling.
 */
export function useNotificationStream(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof ReadableStream === 'undefined') return;
    const controller = new AbortController();
    const aborted = () => controller.signal.aborted;
    let delay = 2_000;
    const run = async () => {
      while (!aborted()) {
        try {
          const response = await apiResponse('/api/v1/notifications/stream', {
            headers: { Accept: 'text/event-stream' },
            signal: controller.signal,
          });
          delay = 2_000;
          if (response.body) {
            await readSse(response.body, (message) => {
              const count = message.event === 'unread' ? unreadOf(message.data) : null;
              if (count !== null) queryClient.setQueryData(notificationQueries.unreadCount().queryKey, count);
              else void queryClient.invalidateQueries({ queryKey: notificationQueries.all() });
            });
          }
        } catch (error) {
          if (aborted()) return;
          if (isApiError(error) && (error.status === 404 || error.status === 401 || error.status === 403)) return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 60_000);
      }
    };
    void run();
    return () => controller.abort();
  }, [enabled, queryClient]);
}
