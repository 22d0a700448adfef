import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type { DirectoryUnit, Page, UnitCreate, UnitUpdate } from '@/api/types';
import { adminKeys, etagOf, idempotencyKey } from './admin-keys';

const base = '/api/v1/units';

export const unitQueries = {
  list: () =>
    infiniteQueryOptions({
      queryKey: adminKeys.units(),
      queryFn: ({ pageParam, signal }) =>
        apiGet<Page<DirectoryUnit>>(base, { cursor: pageParam, limit: 500 }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
};

export function createUnit(body: UnitCreate): Promise<DirectoryUnit> {
  return apiPost<DirectoryUnit>(base, body, { headers: { 'Idempotency-Key': idempotencyKey() } });
}

export async function updateUnit(unit: DirectoryUnit, body: UnitUpdate): Promise<DirectoryUnit> {
  const { data } = await apiRequest<DirectoryUnit>(`${base}/${encodeURIComponent(unit.id)}`, {
    method: 'PATCH',
    body,
    ifMatch: etagOf(unit.version),
  });
  return data;
}
