import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type { PageUserOut, UserCreate, UserOut, UserUpdate } from '@/api/generated/openapi';
import { adminKeys, etagOf, idempotencyKey } from './admin-keys';

const base = '/api/v1/users';

export const userQueries = {
  list: (unitId: string | undefined) =>
    infiniteQueryOptions({
      queryKey: [...adminKeys.users(), { unitId }] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageUserOut>(base, { unit_id: unitId, cursor: pageParam, limit: 100 }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
};

export function createUser(body: UserCreate): Promise<UserOut> {
  return apiPost<UserOut>(base, body, { headers: { 'Idempotency-Key': idempotencyKey() } });
}

/** PATCH a user against the version it was read at (a stale one is 412). */
export async function updateUser(user: UserOut, body: UserUpdate): Promise<UserOut> {
  const { data } = await apiRequest<UserOut>(`${base}/${encodeURIComponent(user.id)}`, {
    method: 'PATCH',
    body,
    ifMatch: etagOf(user.version),
  });
  return data;
}
