import { Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../hooks/auth-context';

/** Routes behind login: without a token (and no session to restore), go to /login?next=<here>. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { token, isRestoring } = useAuth();
  const location = useLocation();
  if (isRestoring) return <Spin fullscreen delay={200} />;
  if (!token) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}
