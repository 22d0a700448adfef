import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UserOut } from '@/api/generated/openapi';
import { adminKeys } from '../api/admin-keys';
import { updateUser } from '../api/users-api';
import { useFormErrors } from '../hooks/use-form-errors';

interface Props {
  user: UserOut | null;
  onClose: () => void;
}

/** Set a new password (it also lifts a lockout and voids the user's tokens). */
export function ResetPasswordModal({ user, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ password: string }>();
  const showErrors = useFormErrors(form, adminKeys.users());
  const mutation = useMutation({
    mutationFn: ({ target, password }: { target: UserOut; password: string }) => updateUser(target, { password }),
    onSuccess: async () => {
      void message.success(t('admin.users.passwordReset'));
      onClose();
      await queryClient.invalidateQueries({ queryKey: adminKeys.users() });
    },
    onError: showErrors,
  });

  return (
    <Modal
      open={user !== null}
      title={`${t('admin.users.resetPassword')} — ${user?.display_name ?? ''}`}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending }}
      onOk={() => {
        if (!user) return;
        void form.validateFields().then(({ password }) => mutation.mutate({ target: user, password }), () => undefined);
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="password"
          label={t('admin.users.newPassword')}
          rules={[
            { required: true, message: t('forms.required') },
            { min: 8, message: t('admin.users.passwordMin') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
