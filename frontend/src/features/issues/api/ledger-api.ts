/** The ledger's office tools: batch 交办/催办, saved views, the Excel export. */
import { apiDownload, apiPost, apiRequest } from '@/api/client';
import type { BatchAssignBody, BatchResult, BatchUrgeBody, SavedViewCreate, SavedViewOut } from '@/api/generated/openapi';
import type { IssueFilters } from '../lib/ledger-query';
import { filterQuery } from '../lib/ledger-query';

export function batchAssign(body: BatchAssignBody): Promise<BatchResult> {
  return apiPost<BatchResult>('/api/v1/issues/batch/assign', body);
}

export function batchUrge(body: BatchUrgeBody): Promise<BatchResult> {
  return apiPost<BatchResult>('/api/v1/issues/batch/urge', body);
}

export function createSavedView(body: SavedViewCreate): Promise<SavedViewOut> {
  return apiPost<SavedViewOut>('/api/v1/issues/saved-views', body);
}

export async function deleteSavedView(id: string): Promise<void> {
  await apiRequest<unknown>(`/api/v1/issues/saved-views/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Exactly what the ledger shows, filtered and in its order, as an Excel file. */
export function exportLedger(filters: IssueFilters): Promise<void> {
  return apiDownload('/api/v1/issues/export.xlsx', '整改台账.xlsx', filterQuery(filters));
}
