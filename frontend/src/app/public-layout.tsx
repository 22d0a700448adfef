import { Layout, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router-dom';
import { LanguageSwitch } from '@/shared/components/language-switch';

/** Phone-first shell for the public pages (no login). */
export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Header style={{ background: '#fff', paddingInline: 12, height: 'auto', lineHeight: '48px' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Text strong>{t('app.name')}</Typography.Text>
          <Space>
            <Link to="/submit">{t('nav.submit')}</Link>
            <Link to="/track">{t('nav.track')}</Link>
            <LanguageSwitch />
          </Space>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 12, maxWidth: 640, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
