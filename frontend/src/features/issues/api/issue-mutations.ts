import { apiDownload, apiPost, apiRequest } from '@/api/client';
import type { Issue, IssueCreate, IssuePatch } from '@/api/types';

const base = (id: string) => `/api/v1/issues/${encodeURIComponent(id)}`;

/** randomUUID needs a secure context; fall back to getRandomValues on plain http. */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createIssue(body: IssueCreate): Promise<Issue> {
  return apiPost<Issue>('/api/v1/issues', body, {
    headers: { 'Idempotency-Key': idempotencyKey() },
  });
}

export async function patchIssue(id: string, body: IssuePatch, etag: string | null): Promise<Issue> {
  const { data } = await apiRequest<Issue>(base(id), { method: 'PATCH', body, ifMatch: etag ?? undefined });
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
