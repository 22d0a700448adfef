import { createContext, useContext } from 'react';
import type { MeOut } from '@/api/generated/openapi';

export interface AuthState {
  token: string | null;
  /** a fresh page asks the session cookie for a token: no page decides about signing in meanwhile */
  isRestoring: boolean;
  user: MeOut | undefined;
  /** the /auth/me request failed with something else than 401 */
  userError: unknown;
  isLoadingUser: boolean;
  login: (username: string, password: string) => Promise<void>;
  /** ends the session on the server, then here (a failed request still signs out here) */
  logout: () => Promise<void>;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
