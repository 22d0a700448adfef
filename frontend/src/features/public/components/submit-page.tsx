import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { PublicSubmissionCreate } from '@/api/types';
import { fieldErrorList } from '@/api/problem';
import { ErrorResult } from '@/shared/components/error-result';
import { submitComplaint } from '../api/public-api';

function TrackingCode({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <Result
      status="success"
      title={t('public.submitted')}
      subTitle={t('public.keepCode')}
      extra={[
        <div key="code">
          <Typography.Text type="secondary">{t('public.yourCode')}</Typography.Text>
          <Typography.Title level={2} copyable={{ text: code }} data-testid="tracking-code" style={{ fontFamily: 'monospace', fontSize: 'clamp(18px, 5.5vw, 32px)', whiteSpace: 'nowrap' }}>
            {code}
          </Typography.Title>
        </div>,
        <Link key="track" to={`/track/${encodeURIComponent(code)}`}>
          <Button type="primary" size="large">
            {t('public.trackNow')}
          </Button>
        </Link>,
      ]}
    />
  );
}

/** Public complaint form (no login); shows the tracking code prominently. */
export function SubmitPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PublicSubmissionCreate>();
  const mutation = useMutation({ mutationFn: submitComplaint });
  const required = [{ required: true, message: t('forms.required') }];

  if (mutation.data) return <TrackingCode code={mutation.data.tracking_code} />;

  const onFinish = (values: PublicSubmissionCreate) => {
    const body = Object.fromEntries(
      Object.entries(values).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ) as unknown as PublicSubmissionCreate;
    mutation.mutate(body, { onError: (error) => form.setFields(fieldErrorList(error) as Parameters<typeof form.setFields>[0]) });
  };

  return (
    <Card title={t('public.submitTitle')}>
      <Typography.Paragraph>{t('public.submitIntro')}</Typography.Paragraph>
      <Form<PublicSubmissionCreate> form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item name="title" label={t('public.titleField')} rules={required}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label={t('public.content')} rules={required}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="city" label={t('public.city')}>
          <Input />
        </Form.Item>
        <Form.Item name="enterprise_name" label={t('public.enterprise')}>
          <Input />
        </Form.Item>
        <Form.Item name="contact_name" label={t('public.contactName')}>
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item name="contact_phone" label={t('public.contactPhone')}>
          <Input type="tel" autoComplete="tel" />
        </Form.Item>
        <Form.Item name="contact_email" label={t('public.contactEmail')} rules={[{ type: 'email', message: t('forms.required') }]}>
          <Input type="email" autoComplete="email" />
        </Form.Item>
        <Alert type="info" message={t('public.privacy')} style={{ marginBottom: 16 }} />
        {mutation.isError ? <ErrorResult error={mutation.error} compact /> : null}
        <Button type="primary" htmlType="submit" size="large" block loading={mutation.isPending} style={{ marginTop: 8 }}>
          {t('common.submit')}
        </Button>
      </Form>
    </Card>
  );
}
