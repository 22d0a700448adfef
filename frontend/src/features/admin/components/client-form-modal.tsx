import { App, Form, Input, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClientOut, ClientWithSecret } from '@/api/generated/openapi';
import { adminKeys } from '../api/admin-keys';
import { createClient, updateClient } from '../api/clients-api';
import { useModalForm, useRequired } from '../hooks/use-modal-form';
import { FormModal } from './form-modal';
import { CLIENT_SCOPES } from '../api/choices';

interface Values {
  id: string;
  name: string;
  scopes: string[];
  active?: boolean;
}

interface Props {
  open: boolean;
  /** the client being edited; null when registering one */
  client: ClientOut | null;
  onClose: () => void;
  /** a new client's secret, to be shown once */
  onCreated: (client: ClientWithSecret) => void;
}

/** The one form of an integration client: id (fixed once registered), name, scopes, active. */
export function ClientFormModal({ open, client, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { modal } = useModalForm<Values, ClientWithSecret | null>({
    save: async (values) => {
      const body = { name: values.name.trim(), scopes: values.scopes };
      if (client) {
        await updateClient(client.id, { ...body, active: values.active ?? client.active });
        return null;
      }
      return createClient({ ...body, id: values.id.trim() });
    },
    onClose,
    invalidate: [adminKeys.clients()],
    onSaved: (created) => (created ? onCreated(created) : void message.success(t('common.saved'))),
  });
  const required = useRequired();
  const initial: Partial<Values> = client
    ? { id: client.id, name: client.name, scopes: client.scopes, active: client.active }
    : { scopes: [] };

  return (
    <FormModal<Values>
      {...modal}
      open={open}
      title={client ? t('admin.clients.edit') : t('admin.clients.create')}
      initialValues={initial}
    >
      <Form.Item name="id" label={t('admin.clients.id')} rules={required}>
        <Input disabled={client !== null} />
      </Form.Item>
      <Form.Item name="name" label={t('admin.clients.name')} rules={required}>
        <Input />
      </Form.Item>
      <Form.Item name="scopes" label={t('admin.clients.scopes')}>
        <Select mode="tags" options={CLIENT_SCOPES.map((s) => ({ value: s, label: s }))} />
      </Form.Item>
      {client ? (
        <Form.Item name="active" label={t('admin.status')} valuePropName="checked">
          <Switch checkedChildren={t('admin.active')} unCheckedChildren={t('admin.inactive')} />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
