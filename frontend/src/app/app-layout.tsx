import { MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { adminPagesFor } from '@/features/admin';
import { useAuth } from '@/features/auth';
import { EscalationsMenuLabel } from '@/features/escalations';
import { NotificationBell } from '@/features/notifications';
import { ErrorResult } from '@/shared/components/error-result';
import { LanguageSwitch } from '@/shared/components/language-switch';
import { useIsPhone } from '@/shared/hooks/use-is-phone';

function useMenuItems() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const staff = user?.role === 'office' || user?.role === 'admin';
  const readsMeetings = staff || user?.role === 'leader';
  // the entry opens the first admin page the role may see; the section has its own navigation
  const firstAdminPage = adminPagesFor(user?.role)[0];
  const role = user?.role;
  // each role's own page first: the one it lands on
  const home =
    role === 'unit'
      ? [{ key: '/workbench', label: <Link to="/workbench">{t('nav.workbench')}</Link> }]
      : role === 'office'
        ? [{ key: '/desk', label: <Link to="/desk">{t('nav.workbench')}</Link> }]
        : role === 'leader' || role === 'admin'
          ? [
              { key: '/cockpit', label: <Link to="/cockpit">{t('nav.cockpit')}</Link> },
              {
                key: '/board',
                label: (
                  <Link to="/board" target="_blank" rel="noopener">
                    {t('nav.board')}
                  </Link>
                ),
              },
            ]
          : [];
  const items = [
    ...home,
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
    ...(readsMeetings || role === 'unit' ? [{ key: '/accountability', label: <Link to="/accountability">{t('nav.accountability')}</Link> }] : []),
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
      <Button size="small" onClick={() => void logout()}>
        {t('auth.logout')}
      </Button>
    </Space>
  );
}

/**
 * The phone's header: a labelled 菜单 button opening the navigation in a drawer (with the user, language and
 * sign-out), the app's name, the bell and the user's name, all in one line of 360 px.
 */
function PhoneHeader({ items, selected }: { items: ReturnType<typeof useMenuItems>; selected: string[] }) {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 8, background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: 8, height: 52, lineHeight: '52px' }}
      >
        <Button icon={<MenuOutlined />} onClick={() => setOpen(true)} aria-expanded={open} data-testid="phone-menu">
          {t('nav.menu')}
        </Button>
        <Typography.Text strong ellipsis style={{ fontSize: 16, flex: 1, minWidth: 0 }}>
          {t('app.name')}
        </Typography.Text>
        <NotificationBell />
        {user ? (
          <Typography.Text data-testid="current-user" ellipsis style={{ maxWidth: 96 }}>
            {user.display_name}
          </Typography.Text>
        ) : null}
      </Layout.Header>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        placement="left"
        rootClassName="phone-nav"
        width="80%"
        title={t('nav.menu')}
        styles={{ body: { padding: 0 } }}
        footer={
          <Space wrap>
            {user ? <Tag>{t(`roles.${user.role}`, { defaultValue: user.role })}</Tag> : null}
            <LanguageSwitch />
            <Button onClick={() => void logout()}>{t('auth.logout')}</Button>
          </Space>
        }
      >
        {/* a tap on an entry navigates and closes the drawer */}
        <Menu mode="inline" selectedKeys={selected} items={items} onClick={() => setOpen(false)} style={{ borderInlineEnd: 'none' }} />
      </Drawer>
    </>
  );
}

/** The signed-in shell: header (menu, user, role, bell, language, logout) and the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { userError } = useAuth();
  const location = useLocation();
  const items = useMenuItems();
  const phone = useIsPhone();
  // the most specific entry only: /reports/meetings is not also 统计报表
  const matching = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k));
  const selected = matching.sort((a, b) => b.length - a.length).slice(0, 1);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        <PhoneHeader items={items} selected={selected} />
      ) : (
        <Layout.Header
          style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: 16 }}
        >
          <Link to="/">
            <Typography.Text strong style={{ fontSize: 18, whiteSpace: 'nowrap' }}>
              {t('app.name')}
            </Typography.Text>
          </Link>
          <Menu mode="horizontal" selectedKeys={selected} items={items} style={{ flex: 1, minWidth: 0, borderBottom: 'none' }} />
          <UserBox />
        </Layout.Header>
      )}
      <Layout.Content style={{ padding: phone ? 8 : 16, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        {userError ? <ErrorResult error={userError} compact /> : null}
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
