import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiRequest } from '@/api/client';
import type { Me, TokenResponse } from '@/api/types';

/** POST /api/v1/auth/token (OAuth2 password grant, form-encoded). */
export async function requestToken(username: string, password: string): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'password', username, password });
  const { data } = await apiRequest<TokenResponse>('/api/v1/auth/token', {
    method: 'POST',
    body: form,
    anonymous: true,
  });
  return data;
}

export const authQueries = {
  all: () => ['auth'] as const,
  me: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'me'] as const,
      queryFn: ({ signal }) => apiGet<Me>('/api/v1/auth/me', undefined, signal),
      staleTime: 5 * 60_000,
      retry: false,
    }),
};
