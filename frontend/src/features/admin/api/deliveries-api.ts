import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { DeliveryOut, PageDeliveryOut } from '@/api/generated/openapi';
import { adminKeys } from './admin-keys';

const base = '/api/v1/deliveries';

export interface DeliveryFilters {
  channel?: string | undefined;
  status?: string | undefined;
  subscription_id?: string | undefined;
}

export const deliveryQueries = {
  list: (filters: DeliveryFilters) =>
    infiniteQueryOptions({
      queryKey: [...adminKeys.deliveries(), filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<PageDeliveryOut>(base, { ...filters, cursor: pageParam, limit: 50 }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
};

/** Send a dead letter again (409 when it is not dead). */
export function retryDelivery(id: string): Promise<DeliveryOut> {
  return apiPost<DeliveryOut>(`${base}/${encodeURIComponent(id)}/retry`);
}
