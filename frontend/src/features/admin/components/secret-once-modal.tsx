import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClientWithSecret } from '@/api/generated/openapi';

interface Props {
  /** the answer of a create or a rotation; null when closed */
  client: ClientWithSecret | null;
  onClose: () => void;
}

/** Show a client secret the only time the API returns it, with a copy button. */
export function SecretOnceModal({ client, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success(t('admin.clients.copied'));
    } catch {
      void message.error(t('admin.clients.copyFailed'));
    }
  };

  // unmounted on close rather than animated away, so the secret leaves the page at once
  if (!client) return null;
  return (
    <Modal
      open
      title={t('admin.clients.secretTitle', { id: client.id })}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('admin.clients.secretSaved')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon message={t('admin.clients.secretWarning')} />
        <Typography.Text>client_id: <Typography.Text code>{client.id}</Typography.Text></Typography.Text>
        <Typography.Text>
          client_secret: <Typography.Text code data-testid="client-secret">{client.client_secret}</Typography.Text>
        </Typography.Text>
        <Button onClick={() => void copy(client.client_secret)}>{t('admin.clients.copy')}</Button>
      </Space>
    </Modal>
  );
}
