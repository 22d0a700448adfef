import { queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiPost } from '@/api/client';
import type {
  ConfirmBody,
  IssueDetail,
  ReviewOut,
  SelfInspectionBatchResult,
  SelfInspectionCreate,
  SelfInspectionRevise,
} from '@/api/generated/openapi';

const item = (id: string) => `/api/v1/issues/${encodeURIComponent(id)}/self-inspection`;

/** The ledger's query keys start with 'issues' (features/issues): a review step changes the issue too. */
export const LEDGER_KEY = ['issues'] as const;

export const selfInspectionQueries = {
  all: () => ['self-inspection'] as const,
  review: (issueId: string) =>
    queryOptions({
      queryKey: [...selfInspectionQueries.all(), 'review', issueId] as const,
      queryFn: ({ signal }) => apiGet<ReviewOut>(item(issueId), undefined, signal),
      retry: false,
    }),
};

export function fileItem(body: SelfInspectionCreate): Promise<IssueDetail> {
  return apiPost<IssueDetail>('/api/v1/issues/self-inspection', body);
}

export function confirmItem(id: string, body: ConfirmBody): Promise<IssueDetail> {
  return apiPost<IssueDetail>(`${item(id)}/confirm`, body);
}

export function sendBack(id: string, reason: string): Promise<ReviewOut> {
  return apiPost<ReviewOut>(`${item(id)}/send-back`, { reason });
}

export function reviseItem(id: string, body: SelfInspectionRevise): Promise<IssueDetail> {
  return apiPost<IssueDetail>(`${item(id)}/revise`, body);
}

/** The first cells a header row starts with: a paste that has one keeps it, else the page adds one. */
const HEADER_WORDS = new Set(['序号', '问题', '问题*', '标题', 'title']);
/** The columns of rows pasted from Excel, in order (分类 optional). */
export const PASTE_HEADER = ['问题', '原因', '措施', '分类'];

/**
 * Rows pasted from Excel (tab-separated) as the file the batch endpoint reads: the header is added unless the
 * paste has one. `offset`: how many lines the page added before the first pasted line (the sheet's row 2 is the
 * first pasted line when it added the header).
 */
export function pastedSheet(text: string): { file: File; offset: number } {
  const trimmed = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const first = (trimmed.split('\n', 1)[0] ?? '').split('\t')[0]?.trim() ?? '';
  const hasHeader = HEADER_WORDS.has(first);
  const body = hasHeader ? trimmed : `${PASTE_HEADER.join('\t')}\n${trimmed}`;
  return { file: new File([body], '粘贴.tsv', { type: 'text/tab-separated-values' }), offset: hasHeader ? 0 : 1 };
}

export function fileBatch(file: File, params: { campaignId?: string; dryRun: boolean }): Promise<SelfInspectionBatchResult> {
  const body = new FormData();
  body.append('file', file, file.name);
  return apiPost<SelfInspectionBatchResult>('/api/v1/issues/self-inspection/batch', body, {
    query: { campaign_id: params.campaignId, dry_run: params.dryRun },
  });
}

export function downloadBatchTemplate(campaignId?: string): Promise<void> {
  return apiDownload('/api/v1/issues/self-inspection/template.xlsx', '自查自纠清单模板.xlsx', { campaign_id: campaignId });
}
