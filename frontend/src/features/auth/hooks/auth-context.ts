import { createContext, useContext } from 'react';
import type { Me } from '@/api/types';

export interface AuthState {
  token: string | null;
  user: Me | undefined;
  /** the /auth/me request failed with something else than 401 */
  userError: unknown;
  isLoadingUser: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => void;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
