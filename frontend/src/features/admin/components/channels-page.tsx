import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { channelInChannelValues, type ChannelIn, type ChannelOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { PageLoading } from '@/shared/components/page-loading';
import { adminKeys } from '../api/admin-keys';
import { notifySettingsQueries, putChannel } from '../api/notify-settings-api';
import { useFormErrors } from '../hooks/use-form-errors';

/** The settings each channel takes (notify_api/delivery/schemas.py ChannelIn); email uses the server's SMTP. */
const FIELDS: Record<ChannelIn['channel'], readonly ('webhook_url' | 'url' | 'secret')[]> = {
  email: [],
  sms: ['url', 'secret'],
  wecom: ['webhook_url'],
  dingtalk: ['webhook_url', 'secret'],
};

interface Values {
  enabled: boolean;
  webhook_url?: string;
  url?: string;
  /** typed only to replace the stored secret; never filled from the API */
  secret?: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function ChannelCard({ name, setting }: { name: ChannelIn['channel']; setting: ChannelOut | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const showErrors = useFormErrors(form);
  const fields = FIELDS[name];
  const save = useMutation({
    mutationFn: (values: Values) => {
      const body: ChannelIn = { channel: name, enabled: values.enabled };
      if (fields.includes('webhook_url')) body.webhook_url = values.webhook_url?.trim() ?? '';
      if (fields.includes('url')) body.url = values.url?.trim() ?? '';
      // a blank secret keeps the stored one: the field is left out of the body
      const secret = values.secret?.trim() ?? '';
      if (fields.includes('secret') && secret) body.secret = secret;
      return putChannel(body);
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      form.setFieldValue('secret', '');
      void queryClient.invalidateQueries({ queryKey: adminKeys.channels() });
    },
    onError: showErrors,
  });
  const hasSecret = setting?.has_secret ?? false;
  const initial: Values = {
    enabled: setting?.enabled ?? false,
    webhook_url: text(setting?.config.webhook_url),
    url: text(setting?.config.url),
    secret: '',
  };

  return (
    <Card
      title={t(`admin.channels.${name}`)}
      extra={setting?.enabled ? <Tag color="green">{t('admin.active')}</Tag> : <Tag>{t('admin.inactive')}</Tag>}
    >
      <Form<Values>
        form={form}
        name={`channel-${name}`}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        aria-label={t(`admin.channels.${name}`)}
      >
        <Form.Item name="enabled" label={t('admin.channelSettings.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {fields.length === 0 ? <Typography.Paragraph type="secondary">{t('admin.channelSettings.emailHint')}</Typography.Paragraph> : null}
        {fields.includes('webhook_url') ? (
          <Form.Item name="webhook_url" label={t('admin.channelSettings.webhookUrl')}>
            <Input placeholder="https://" />
          </Form.Item>
        ) : null}
        {fields.includes('url') ? (
          <Form.Item name="url" label={t('admin.channelSettings.gatewayUrl')}>
            <Input placeholder="https://" />
          </Form.Item>
        ) : null}
        {fields.includes('secret') ? (
          <Form.Item
            name="secret"
            label={t('admin.channelSettings.secret')}
            extra={hasSecret ? t('admin.channelSettings.secretKeep') : t('admin.channelSettings.secretNone')}
          >
            <Input.Password
              autoComplete="new-password"
              placeholder={hasSecret ? t('admin.channelSettings.secretSet') : ''}
              visibilityToggle={false}
            />
          </Form.Item>
        ) : null}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

/** 通知渠道: email, SMS, WeCom and DingTalk, each switched on or off with its endpoint and (write-only) secret. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const query = useQuery(notifySettingsQueries.channels());
  const byName = new Map((query.data ?? []).map((c) => [c.channel, c]));
  return (
    <div>
      <Typography.Title level={3}>{t('admin.nav.channels')}</Typography.Title>
      {query.isError ? <ErrorResult error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? <PageLoading /> : null}
      {query.isSuccess ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {channelInChannelValues.map((name) => (
            // remount on a new answer so the form shows what was stored
            <ChannelCard key={`${name}:${JSON.stringify(byName.get(name) ?? null)}`} name={name} setting={byName.get(name)} />
          ))}
        </Space>
      ) : null}
    </div>
  );
}
