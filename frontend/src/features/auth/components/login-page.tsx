import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router-dom';
import { ErrorResult } from '@/shared/components/error-result';
import { LanguageSwitch } from '@/shared/components/language-switch';
import { useAuth } from '../hooks/auth-context';

interface LoginValues {
  username: string;
  password: string;
}

function safeNext(value: string | null): string {
  // without one, `/` sends each role to its own page
  return value?.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { token, login } = useAuth();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // While a fresh page asks the session cookie for a token the form shows already: a restored session
  // moves on to `next` as soon as the token arrives.
  if (token) return <Navigate to={safeNext(params.get('next'))} replace />;

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 400, margin: '8vh auto', padding: 16 }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <LanguageSwitch />
      </Space>
      <Card title={t('auth.title')}>
        <Form<LoginValues> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            label={t('auth.username')}
            name="username"
            rules={[{ required: true, message: t('auth.required', { field: t('auth.username') }) }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('auth.password')}
            name="password"
            rules={[{ required: true, message: t('auth.required', { field: t('auth.password') }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error ? <ErrorResult error={error} compact /> : null}
          <Button type="primary" htmlType="submit" block loading={busy} style={{ marginTop: 8 }}>
            {t('auth.login')}
          </Button>
        </Form>
        <Alert style={{ marginTop: 16 }} type="info" message={t('auth.demoHint')} />
      </Card>
      <Typography.Paragraph style={{ marginTop: 16 }}>
        {t('auth.publicLinks')} <a href="/submit">{t('nav.submit')}</a> · <a href="/track">{t('nav.track')}</a>
      </Typography.Paragraph>
    </div>
  );
}
