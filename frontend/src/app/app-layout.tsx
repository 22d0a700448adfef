import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { adminPagesFor } from '@/features/admin';
import { useAuth } from '@/features/auth';
import { EscalationsMenuLabel } from '@/features/escalations';
import { NotificationBell } from '@/features/notifications';
import { ErrorResult } from '@/shared/components/error-result';
import { LanguageSwitch } from '@/shared/components/language-switch';

function useMenuItems() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const staff = user?.role === 'office' || user?.role === 'admin';
  const readsMeetings = staff || user?.role === 'leader';
  // the entry opens the first admin page the role may see; the section has its own navigation
  const firstAdminPage = adminPagesFor(user?.role)[0];
  const items = [
    { key: '/issues', label: <Link to="/issues">{t('nav.issues')}</Link> },
    ...(staff ? [{ key: '/intake', label: <Link to="/intake">{t('nav.intake')}</Link> }] : []),
    { key: '/reports', label: <Link to="/reports">{t('nav.reports')}</Link> },
    ...(readsMeetings ? [{ key: '/reports/meetings', label: <Link to="/reports/meetings">{t('nav.meetings')}</Link> }] : []),
    {
      key: '/escalations',
      label: (
        <Link to="/escalations">
          <EscalationsMenuLabel />
        </Link>
      ),
    },
    { key: '/notifications', label: <Link to="/notifications">{t('nav.notifications')}</Link> },
    ...(firstAdminPage ? [{ key: '/admin', label: <Link to={firstAdminPage.path}>{t('admin.menu')}</Link> }] : []),
  ];
  return items;
}

function UserBox() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  return (
    <Space size="middle" wrap>
      <NotificationBell />
      {user ? (
        <span data-testid="current-user">
          <Typography.Text style={{ color: 'inherit' }}>{user.display_name}</Typography.Text>{' '}
          <Tag>{t(`roles.${user.role}`, { defaultValue: user.role })}</Tag>
        </span>
      ) : null}
      <LanguageSwitch />
      <Button size="small" onClick={logout}>
        {t('auth.logout')}
      </Button>
    </Space>
  );
}

/** The signed-in shell: header (menu, user, role, bell, language, logout) and the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { userError } = useAuth();
  const location = useLocation();
  const items = useMenuItems();
  // the most specific entry only: /reports/meetings is not also 统计报表
  const matching = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k));
  const selected = matching.sort((a, b) => b.length - a.length).slice(0, 1);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: 16 }}
      >
        <Link to="/issues">
          <Typography.Text strong style={{ fontSize: 18, whiteSpace: 'nowrap' }}>
            {t('app.name')}
          </Typography.Text>
        </Link>
        <Menu mode="horizontal" selectedKeys={selected} items={items} style={{ flex: 1, minWidth: 0, borderBottom: 'none' }} />
        <UserBox />
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        {userError ? <ErrorResult error={userError} compact /> : null}
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
