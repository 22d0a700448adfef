import { queryOptions } from '@tanstack/react-query';
import { apiGet, asItems } from '@/api/client';
import type { CampaignOut, UnitOut } from '@/api/generated/openapi';

type ListBody<T> = T[] | { items?: T[] };

export const directoryQueries = {
  all: () => ['directory'] as const,
  units: () =>
    queryOptions({
      queryKey: [...directoryQueries.all(), 'units'] as const,
      queryFn: async ({ signal }) => asItems(await apiGet<ListBody<UnitOut>>('/api/v1/units', { limit: 500 }, signal)),
      staleTime: 10 * 60_000,
    }),
  campaigns: () =>
    queryOptions({
      queryKey: [...directoryQueries.all(), 'campaigns'] as const,
      queryFn: async ({ signal }) => asItems(await apiGet<ListBody<CampaignOut>>('/api/v1/campaigns', undefined, signal)),
      staleTime: 10 * 60_000,
    }),
  campaign: (id: string) =>
    queryOptions({
      queryKey: [...directoryQueries.all(), 'campaign', id] as const,
      queryFn: ({ signal }) => apiGet<CampaignOut>(`/api/v1/campaigns/${encodeURIComponent(id)}`, undefined, signal),
      staleTime: 10 * 60_000,
      enabled: id !== '',
    }),
};
