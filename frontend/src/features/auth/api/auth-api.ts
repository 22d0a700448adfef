import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiRequest } from '@/api/client';
import type { MeOut, TokenOut } from '@/api/generated/openapi';

/** POST /api/v1/auth/token (OAuth2 password grant, form-encoded). */
export async function requestToken(username: string, password: string): Promise<TokenOut> {
  const form = new URLSearchParams({ grant_type: 'password', username, password });
  const { data } = await apiRequest<TokenOut>('/api/v1/auth/token', {
    method: 'POST',
    body: form,
    anonymous: true,
  });
  return data;
}

/** POST /api/v1/auth/logout: the server ends the session and clears its cookie (failures change nothing here). */
export async function endSession(): Promise<void> {
  await apiRequest('/api/v1/auth/logout', { method: 'POST', anonymous: true }).catch(() => undefined);
}

export const authQueries = {
  all: () => ['auth'] as const,
  me: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'me'] as const,
      queryFn: ({ signal }) => apiGet<MeOut>('/api/v1/auth/me', undefined, signal),
      staleTime: 5 * 60_000,
      retry: false,
    }),
};
