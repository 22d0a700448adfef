import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type { WebhookIn, WebhookOut, WebhookPatch } from '@/api/generated/openapi';
import { adminKeys } from './admin-keys';

const base = '/api/v1/webhooks';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const webhookQueries = {
  list: () =>
    queryOptions({
      queryKey: adminKeys.webhooks(),
      queryFn: ({ signal }) => apiGet<WebhookOut[]>(base, undefined, signal),
    }),
};

export function createWebhook(body: WebhookIn): Promise<WebhookOut> {
  return apiPost<WebhookOut>(base, body);
}

export async function patchWebhook(id: string, body: WebhookPatch): Promise<WebhookOut> {
  return (await apiRequest<WebhookOut>(one(id), { method: 'PATCH', body })).data;
}

export async function deleteWebhook(id: string): Promise<void> {
  await apiRequest<undefined>(one(id), { method: 'DELETE' });
}
