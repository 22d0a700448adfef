import { apiDownload, apiPost, apiRequest } from '@/api/client';
import type { IssueCreateAndAssign, IssueDetail, IssueOut, IssuePatch } from '@/api/generated/openapi';

const base = (id: string) => `/api/v1/issues/${encodeURIComponent(id)}`;

/** randomUUID needs a secure context; fall back to getRandomValues on plain http. */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** 登记 (and 交办 with `assign`, in the same request). */
export function createIssue(body: IssueCreateAndAssign): Promise<IssueDetail> {
  return apiPost<IssueDetail>('/api/v1/issues', body, {
    headers: { 'Idempotency-Key': idempotencyKey() },
  });
}

export async function patchIssue(id: string, body: IssuePatch, etag: string | null): Promise<IssueOut> {
  const { data } = await apiRequest<IssueOut>(base(id), { method: 'PATCH', body, ifMatch: etag ?? undefined });
  return data;
}

/** POST a workflow step (path relative to the issue, e.g. "assign", "extension-requests/7/decision"). */
export function postIssueStep(id: string, path: string, body: Record<string, unknown>): Promise<unknown> {
  return apiPost<unknown>(`${base(id)}/${path}`, body);
}

export function uploadAttachment(id: string, file: File): Promise<unknown> {
  const form = new FormData();
  form.append('file', file);
  return apiPost<unknown>(`${base(id)}/attachments`, form);
}

export function downloadDossier(id: string, code: string): Promise<void> {
  return apiDownload(`${base(id)}/dossier.zip`, `${code || id}.zip`);
}
