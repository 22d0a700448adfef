import { queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiResponse } from '@/api/client';
import type { AttachmentOut } from '@/api/generated/openapi';
import { networkProblem, problemFromResponse } from '@/api/problem';
import { getToken, refreshToken } from '@/api/token';

export type EvidenceStep = AttachmentOut['step'];
export const STEPS: EvidenceStep[] = ['completion', 'progress', 'other'];

const base = (issueId: string) => `/api/v1/issues/${encodeURIComponent(issueId)}/attachments`;

export const evidenceQueries = {
  all: () => ['evidence'] as const,
  list: (issueId: string) =>
    queryOptions({
      queryKey: [...evidenceQueries.all(), issueId] as const,
      queryFn: ({ signal }) => apiGet<AttachmentOut[]>(base(issueId), undefined, signal),
    }),
  /** an image attachment as an object URL, for its thumbnail */
  image: (issueId: string, id: string) =>
    queryOptions({
      queryKey: [...evidenceQueries.all(), issueId, 'image', id] as const,
      queryFn: async ({ signal }) => {
        const response = await apiResponse(`${base(issueId)}/${encodeURIComponent(id)}`, { signal, headers: { Accept: '*/*' } });
        return URL.createObjectURL(await response.blob());
      },
      staleTime: Infinity,
    }),
};

export function downloadAttachment(issueId: string, a: AttachmentOut): Promise<void> {
  return apiDownload(`${base(issueId)}/${encodeURIComponent(a.id)}`, a.name);
}

function send(url: string, form: FormData, token: string | null, onProgress: (percent: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const type = xhr.getResponseHeader('Content-Type') ?? 'application/json';
      resolve(new Response(xhr.responseText, { status: xhr.status, headers: { 'Content-Type': type } }));
    };
    xhr.onerror = () => reject(networkProblem(new Error('upload failed')));
    xhr.send(form);
  });
}

/**
 * Upload one file as evidence of `step`, telling the progress (fetch cannot: XMLHttpRequest's upload events do).
 * A 401 is retried once with a refreshed token, as the API client does.
 */
export async function uploadEvidence(
  issueId: string,
  file: File,
  step: EvidenceStep,
  onProgress: (percent: number) => void,
): Promise<AttachmentOut> {
  const url = `${base(issueId)}?step=${step}`;
  const form = new FormData();
  form.append('file', file);
  let response = await send(url, form, getToken(), onProgress);
  if (response.status === 401) {
    const renewed = await refreshToken();
    if (renewed) response = await send(url, form, renewed, onProgress);
  }
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as AttachmentOut;
}
