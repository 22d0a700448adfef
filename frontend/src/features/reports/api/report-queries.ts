import { queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet } from '@/api/client';
import type { ReportSummary, TrendPoint, UnitRanking } from '@/api/types';

export interface ReportFilters {
  campaign_id?: string;
  unit_id?: string;
}

export const reportQueries = {
  all: () => ['reports'] as const,
  summary: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'summary', f] as const,
      queryFn: ({ signal }) => apiGet<ReportSummary>('/api/v1/reports/summary', { ...f }, signal),
    }),
  units: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'units', f] as const,
      queryFn: ({ signal }) => apiGet<UnitRanking>('/api/v1/reports/units', { ...f }, signal),
    }),
  trend: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'trend', f] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<{ items: TrendPoint[] }>('/api/v1/reports/trend', { ...f }, signal)).items,
    }),
};

export function downloadLedger(f: ReportFilters): Promise<void> {
  return apiDownload('/api/v1/reports/ledger.xlsx', 'ledger.xlsx', { ...f });
}
