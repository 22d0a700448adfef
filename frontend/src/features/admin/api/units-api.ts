import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type { PageUnitOut, UnitCreate, UnitOut, UnitUpdate } from '@/api/generated/openapi';
import { adminKeys, etagOf, idempotencyKey } from './admin-keys';

const base = '/api/v1/units';

export const unitQueries = {
  list: () =>
    infiniteQueryOptions({
      queryKey: adminKeys.units(),
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageUnitOut>(base, { cursor: pageParam, limit: 500 }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
};

export function createUnit(body: UnitCreate): Promise<UnitOut> {
  return apiPost<UnitOut>(base, body, { headers: { 'Idempotency-Key': idempotencyKey() } });
}

export async function updateUnit(unit: UnitOut, body: UnitUpdate): Promise<UnitOut> {
  const { data } = await apiRequest<UnitOut>(`${base}/${encodeURIComponent(unit.id)}`, {
    method: 'PATCH',
    body,
    ifMatch: etagOf(unit.version),
  });
  return data;
}
