import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WebhookIn, WebhookOut } from '@/api/generated/openapi';
import { WEBHOOK_EVENT_TYPES } from '../api/choices';
import { adminKeys } from '../api/admin-keys';
import { createWebhook, patchWebhook } from '../api/webhooks-api';
import { webhookEventKey } from '../hooks/admin-access';
import { useModalForm, useRequired } from '../hooks/use-modal-form';
import { FormModal } from './form-modal';

type Values = Omit<WebhookIn, 'secret'> & { secret?: string };

interface Props {
  open: boolean;
  /** the subscription being edited; null when subscribing */
  webhook: WebhookOut | null;
  onClose: () => void;
}

/** The one form of a webhook subscription; on edit a blank secret keeps the current one (never shown). */
export function WebhookFormModal({ open, webhook, onClose }: Props) {
  const { t } = useTranslation();
  const { modal } = useModalForm<Values>({
    save: (values) => {
      const secret = values.secret?.trim() ?? '';
      const body = { url: values.url.trim(), event_types: values.event_types, description: (values.description ?? '').trim() };
      if (webhook) return patchWebhook(webhook.id, secret ? { ...body, secret } : body);
      return createWebhook({ ...body, secret });
    },
    onClose,
    invalidate: [adminKeys.webhooks()],
  });
  const required = useRequired();
  const secretRules = [
    ...(webhook ? [] : required),
    { min: 16, message: t('admin.webhooks.secretMin') },
  ];
  const initial: Partial<Values> = webhook
    ? { url: webhook.url, event_types: webhook.event_types, description: webhook.description }
    : { event_types: ['escalation.fired'], description: '' };

  return (
    <FormModal<Values>
      {...modal}
      open={open}
      title={webhook ? t('admin.webhooks.edit') : t('admin.webhooks.create')}
      initialValues={initial}
    >
      <Form.Item name="url" label={t('admin.webhooks.url')} rules={required}>
        <Input placeholder="https://" />
      </Form.Item>
      <Form.Item
        name="secret"
        label={t('admin.webhooks.secret')}
        rules={secretRules}
        extra={webhook ? t('admin.webhooks.secretKeep') : t('admin.webhooks.secretHint')}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="event_types" label={t('admin.webhooks.eventTypes')} rules={required}>
        <Select
          mode="multiple"
          options={WEBHOOK_EVENT_TYPES.map((e) => ({ value: e, label: t(webhookEventKey(e), { defaultValue: e }) }))}
        />
      </Form.Item>
      <Form.Item name="description" label={t('admin.webhooks.description')}>
        <Input maxLength={200} />
      </Form.Item>
    </FormModal>
  );
}
