import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { clearToken, getToken, refreshToken, setToken, UNAUTHORIZED_EVENT } from '@/api/token';
import { authQueries, endSession, requestToken } from '../api/auth-api';
import { AuthContext, type AuthState } from '../hooks/auth-context';

/**
 * Holds the bearer token (in memory only) and the current user; reacts to the client's 401 signal.
 * On a fresh page load there is no token yet: the session cookie is asked for one before any page decides
 * whether the user is signed in (`isRestoring`).
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setTokenState] = useState<string | null>(() => getToken());
  const [isRestoring, setRestoring] = useState(() => getToken() === null);

  useEffect(() => {
    if (!isRestoring) return undefined;
    let live = true;
    void refreshToken().then((restored) => {
      if (!live) return;
      setTokenState(restored);
      setRestoring(false);
    });
    return () => {
      live = false;
    };
  }, [isRestoring]);

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

  // The server ends the session first: a reload or a link followed right after signing out would otherwise
  // send the still-valid cookie for a new token (and a navigation cancels a request still in flight).
  const logout = useCallback(async () => {
    await endSession();
    clearToken();
    queryClient.clear();
    setTokenState(null);
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      token,
      isRestoring,
      user: me.data,
      userError: me.error,
      isLoadingUser: token !== null && me.isPending,
      login,
      logout,
    }),
    [token, isRestoring, me.data, me.error, me.isPending, login, logout],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
