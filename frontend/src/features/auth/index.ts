export { AuthProvider } from './components/auth-provider';
export { LoginPage } from './components/login-page';
export { RequireAuth } from './components/require-auth';
export { useAuth, type AuthState } from './hooks/auth-context';
export { authQueries } from './api/auth-api';
