import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { IntakeItem, Page } from '@/api/types';

export const INTAKE_STATUSES = ['submitted', 'accepted', 'merged', 'rejected'] as const;

const base = '/api/v1/intake';

export const intakeQueries = {
  all: () => ['intake'] as const,
  list: (status: string | undefined) =>
    infiniteQueryOptions({
      queryKey: [...intakeQueries.all(), 'list', { status }] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<Page<IntakeItem>>(base, { status, cursor: pageParam, limit: 20 }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
};

export type IntakeDecision =
  | { kind: 'accept' }
  | { kind: 'merge'; issue_id: string }
  | { kind: 'reject'; reason: string };

export function decideIntake(id: string, decision: IntakeDecision): Promise<unknown> {
  const path = `${base}/${encodeURIComponent(id)}/${decision.kind}`;
  switch (decision.kind) {
    case 'accept':
      return apiPost<unknown>(path, {});
    case 'merge':
      return apiPost<unknown>(path, { issue_id: decision.issue_id });
    case 'reject':
      return apiPost<unknown>(path, { reason: decision.reason });
  }
}
