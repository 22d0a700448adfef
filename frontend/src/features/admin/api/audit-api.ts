import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import type { ChainVerification, FeedPage } from '@/api/generated/openapi';
import { adminKeys } from './admin-keys';

export const AUDIT_PAGE_SIZE = 50;

/** `after` for a list that starts at sequence number `fromSeq` (the feed's `after` is exclusive). */
export function afterFor(fromSeq: number | undefined): number {
  return fromSeq && fromSeq > 1 ? fromSeq - 1 : 0;
}

export const auditQueries = {
  /** The event feed from `fromSeq` on, ascending; each page asks `after=<previous page's next>`. */
  events: (fromSeq: number | undefined) =>
    infiniteQueryOptions({
      queryKey: [...adminKeys.audit(), 'events', fromSeq ?? null] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<FeedPage>('/api/v1/events', { after: pageParam, limit: AUDIT_PAGE_SIZE }, signal),
      initialPageParam: afterFor(fromSeq),
      // `next` reaches `head` once every event up to the head is read
      getNextPageParam: (last) => (last.events.length > 0 && last.next < last.head ? last.next : undefined),
    }),
};

/** Recompute the whole hash chain and match the published chain heads (admin, office, leader). */
export function verifyAuditChain(): Promise<ChainVerification> {
  return apiGet<ChainVerification>('/api/v1/audit/verify');
}
