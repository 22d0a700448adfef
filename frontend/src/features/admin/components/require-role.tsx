import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { PageLoading } from '@/shared/components/page-loading';

interface Props {
  roles: readonly MeOut['role'][];
  children: ReactNode;
}

/** Show an admin page only to the roles allowed; others get a 403 page instead of failing requests. */
export function RequireRole({ roles, children }: Props) {
  const { t } = useTranslation();
  const { user, isLoadingUser } = useAuth();
  if (isLoadingUser && !user) return <PageLoading />;
  if (!user || !roles.includes(user.role)) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
  return <>{children}</>;
}
