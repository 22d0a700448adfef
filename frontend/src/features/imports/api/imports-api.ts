import { queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiPost } from '@/api/client';
import type { ImportJobOut, operations, PreviewRow, RowError } from '@/api/generated/openapi';

/** A dry run's answer as the API documents its 200: every row's errors and each row as the import reads it. */
export type ImportResult = operations['issues.import']['responses'][200]['content']['application/json'];
export type { PreviewRow, RowError };

const form = (file: Blob, name: string) => {
  const body = new FormData();
  body.append('file', file, name);
  return body;
};

/** 台账模板: the campaign's ledger columns with drop-down lists (the only running campaign when none is named). */
export function downloadTemplate(campaignId?: string): Promise<void> {
  return apiDownload('/api/v1/issues/import/template.xlsx', '整改台账模板.xlsx', { campaign_id: campaignId });
}

/** Every row checked, nothing written: the errors and each row as the import reads it. */
export function dryRun(file: File, campaignId?: string): Promise<ImportResult> {
  return apiPost<ImportResult>('/api/v1/issues/import', form(file, file.name), {
    query: { campaign_id: campaignId, dry_run: true },
  });
}

/** The checked file written in the background: the job tells its progress. */
export function startImport(file: File, campaignId?: string): Promise<ImportJobOut> {
  return apiPost<ImportJobOut>('/api/v1/issues/import-jobs', form(file, file.name), { query: { campaign_id: campaignId } });
}

export const importQueries = {
  job: (id: string) =>
    queryOptions({
      queryKey: ['import-jobs', id] as const,
      queryFn: ({ signal }) => apiGet<ImportJobOut>(`/api/v1/issues/import-jobs/${encodeURIComponent(id)}`, undefined, signal),
      refetchInterval: (query) => (query.state.data?.status === 'running' ? 700 : false),
    }),
};
