import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type { WebhookCreate, WebhookPatch, WebhookSubscription } from '@/api/types';
import { adminKeys } from './admin-keys';

const base = '/api/v1/webhooks';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const webhookQueries = {
  list: () =>
    queryOptions({
      queryKey: adminKeys.webhooks(),
      queryFn: ({ signal }) => apiGet<WebhookSubscription[]>(base, undefined, signal),
    }),
};

export function createWebhook(body: WebhookCreate): Promise<WebhookSubscription> {
  return apiPost<WebhookSubscription>(base, body);
}

export async function patchWebhook(id: string, body: WebhookPatch): Promise<WebhookSubscription> {
  return (await apiRequest<WebhookSubscription>(one(id), { method: 'PATCH', body })).data;
}

export async function deleteWebhook(id: string): Promise<void> {
  await apiRequest<undefined>(one(id), { method: 'DELETE' });
}
