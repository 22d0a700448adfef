import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { userCreateRoleValues, type UserCreate, type UserOut } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { adminKeys } from '../api/admin-keys';
import { createUser, updateUser } from '../api/users-api';
import { useModalForm, useRequired } from '../hooks/use-modal-form';
import { FormModal } from './form-modal';

type Values = Omit<UserCreate, 'password'> & { password?: string };

interface Props {
  open: boolean;
  /** the user being edited; null when creating */
  user: UserOut | null;
  onClose: () => void;
}

/** Empty inputs mean "no value": the API wants null, not "". */
function orNull(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  return text === '' ? null : text;
}

function initialValues(user: UserOut | null): Partial<Values> {
  if (!user) return { role: 'unit' };
  return {
    username: user.username,
    display_name: user.display_name,
    role: user.role as UserCreate['role'],
    unit_id: user.unit_id,
    phone: user.phone,
    email: user.email,
  };
}

/** The one form of a user, for create (with the initial password) and edit (If-Match). */
export function UserFormModal({ open, user, onClose }: Props) {
  const { t } = useTranslation();
  const { form, modal } = useModalForm<Values>({
    save: (values) => {
      const common = {
        display_name: values.display_name.trim(),
        role: values.role,
        unit_id: values.unit_id ?? null,
        phone: orNull(values.phone),
        email: orNull(values.email),
      };
      return user
        ? updateUser(user, common)
        : createUser({ ...common, username: values.username.trim(), password: values.password ?? '' });
    },
    onClose,
    invalidate: [adminKeys.users()],
    staleKey: adminKeys.users(),
  });
  const { options: unitOptions } = useUnits();
  const role = Form.useWatch('role', form);
  const required = useRequired();

  return (
    <FormModal<Values>
      {...modal}
      open={open}
      title={user ? t('admin.users.edit') : t('admin.users.create')}
      initialValues={initialValues(user)}
    >
      <Form.Item name="username" label={t('admin.users.username')} rules={required}>
        <Input disabled={user !== null} autoComplete="off" />
      </Form.Item>
      <Form.Item name="display_name" label={t('admin.users.displayName')} rules={required}>
        <Input />
      </Form.Item>
      <Form.Item name="role" label={t('admin.users.role')} rules={required}>
        <Select options={userCreateRoleValues.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      </Form.Item>
      <Form.Item
        name="unit_id"
        label={t('admin.users.unit')}
        rules={role === 'unit' ? [{ required: true, message: t('admin.users.unitRequired') }] : []}
      >
        <Select allowClear showSearch optionFilterProp="label" options={unitOptions} />
      </Form.Item>
      <Form.Item name="phone" label={t('admin.users.phone')}>
        <Input />
      </Form.Item>
      <Form.Item name="email" label={t('admin.users.email')}>
        <Input />
      </Form.Item>
      {user ? null : (
        <Form.Item
          name="password"
          label={t('admin.users.password')}
          rules={[...required, { min: 8, message: t('admin.users.passwordMin') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
    </FormModal>
  );
}
