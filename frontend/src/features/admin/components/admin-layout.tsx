import { Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '@/features/auth';
import { adminPagesFor } from '../hooks/admin-access';

/** The admin section: its own navigation (only the pages the role may open) beside the page. */
export function AdminLayout() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const location = useLocation();
  const pages = adminPagesFor(user?.role);
  const first = pages[0];
  if (location.pathname.replace(/\/$/, '') === '/admin' && first) return <Navigate to={first.path} replace />;
  return (
    <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      {pages.length > 0 ? (
        <nav aria-label={t('admin.menu')} style={{ width: 180, flex: '0 0 auto' }}>
          <Menu
            mode="inline"
            selectedKeys={pages.filter((p) => location.pathname.startsWith(p.path)).map((p) => p.path)}
            items={pages.map((p) => ({ key: p.path, label: <Link to={p.path}>{t(p.labelKey)}</Link> }))}
          />
        </nav>
      ) : null}
      <div style={{ flex: '1 1 600px', minWidth: 0 }}>
        <Outlet />
      </div>
    </div>
  );
}
