import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type { ClientCreate, ClientOut, ClientUpdate, ClientWithSecret } from '@/api/generated/openapi';
import { adminKeys } from './admin-keys';

const base = '/api/v1/clients';

export const clientQueries = {
  list: () =>
    queryOptions({
      queryKey: adminKeys.clients(),
      queryFn: ({ signal }) => apiGet<ClientOut[]>(base, undefined, signal),
    }),
};

export function createClient(body: ClientCreate): Promise<ClientWithSecret> {
  return apiPost<ClientWithSecret>(base, body);
}

/** The answer carries `client_secret` only when `rotate_secret` was asked for. */
export async function updateClient(id: string, body: ClientUpdate): Promise<ClientOut | ClientWithSecret> {
  const { data } = await apiRequest<ClientOut | ClientWithSecret>(`${base}/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body,
  });
  return data;
}

export async function rotateClientSecret(id: string): Promise<ClientWithSecret> {
  const { data } = await apiRequest<ClientWithSecret>(`${base}/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { rotate_secret: true },
  });
  return data;
}
