import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { WEBHOOK_EVENT_TYPES, type WebhookCreate, type WebhookEventType, type WebhookSubscription } from '@/api/types';
import { adminKeys } from '../api/admin-keys';
import { createWebhook, patchWebhook } from '../api/webhooks-api';
import { webhookEventKey } from '../hooks/admin-access';
import { useFormErrors } from '../hooks/use-form-errors';

type Values = Omit<WebhookCreate, 'secret'> & { secret?: string };

interface Props {
  open: boolean;
  /** the subscription being edited; null when subscribing */
  webhook: WebhookSubscription | null;
  onClose: () => void;
}

/** The one form of a webhook subscription; on edit a blank secret keeps the current one (never shown). */
export function WebhookFormModal({ open, webhook, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const showErrors = useFormErrors(form);
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const secret = values.secret?.trim() ?? '';
      const body = { url: values.url.trim(), event_types: values.event_types, description: values.description.trim() };
      if (webhook) return patchWebhook(webhook.id, secret ? { ...body, secret } : body);
      return createWebhook({ ...body, secret });
    },
    onSuccess: async () => {
      void message.success(t('common.saved'));
      onClose();
      await queryClient.invalidateQueries({ queryKey: adminKeys.webhooks() });
    },
    onError: showErrors,
  });
  const required = [{ required: true, message: t('forms.required') }];
  const secretRules = [
    ...(webhook ? [] : required),
    { min: 16, message: t('admin.webhooks.secretMin') },
  ];
  const initial: Partial<Values> = webhook
    ? { url: webhook.url, event_types: webhook.event_types as WebhookEventType[], description: webhook.description }
    : { event_types: ['escalation.fired'], description: '' };

  return (
    <Modal
      open={open}
      title={webhook ? t('admin.webhooks.edit') : t('admin.webhooks.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending }}
      onOk={() => void form.validateFields().then((v) => mutation.mutate(v), () => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initial}>
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
      </Form>
    </Modal>
  );
}
