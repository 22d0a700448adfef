import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { clearToken, getToken, setToken, UNAUTHORIZED_EVENT } from '@/api/token';
import { authQueries, requestToken } from '../api/auth-api';
import { AuthContext, type AuthState } from '../hooks/auth-context';

/** Holds the bearer token and the current user; reacts to the client's 401 signal. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setTokenState] = useState<string | null>(() => getToken());

  useEffect(() => {
    const onUnauthorized = () => {
      setTokenState(null);
      queryClient.clear();
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [queryClient]);

  const me = useQuery({ ...authQueries.me(), enabled: token !== null });

  const login = useCallback(
    async (username: string, password: string) => {
      const result = await requestToken(username, password);
      setToken(result.access_token);
      queryClient.clear();
      setTokenState(result.access_token);
    },
    [queryClient],
  );

  const logout = useCallback(() => {
    clearToken();
    queryClient.clear();
    setTokenState(null);
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      token,
      user: me.data,
      userError: me.error,
      isLoadingUser: token !== null && me.isPending,
      login,
      logout,
    }),
    [token, me.data, me.error, me.isPending, login, logout],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
