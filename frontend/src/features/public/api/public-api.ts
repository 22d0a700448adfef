import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '@/api/client';
import type { PublicFeedback, PublicSubmission, PublicSubmissionCreate } from '@/api/types';

const base = '/api/v1/public/submissions';

export const publicQueries = {
  all: () => ['public'] as const,
  submission: (code: string) =>
    queryOptions({
      queryKey: [...publicQueries.all(), 'submission', code] as const,
      queryFn: ({ signal }) => apiGet<PublicSubmission>(`${base}/${encodeURIComponent(code)}`, undefined, signal),
      enabled: code !== '',
      retry: false,
    }),
};

export function submitComplaint(body: PublicSubmissionCreate): Promise<{ tracking_code: string }> {
  return apiPost<{ tracking_code: string }>(base, body, { anonymous: true });
}

export function sendFeedback(code: string, body: PublicFeedback): Promise<unknown> {
  return apiPost<unknown>(`${base}/${encodeURIComponent(code)}/feedback`, body, { anonymous: true });
}
