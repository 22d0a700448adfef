import type { FormInstance } from 'antd';
import { Form, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface FormModalProps<V> {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  saving: boolean;
  /** called with the validated values */
  onSubmit: (values: V) => void;
  onClose: () => void;
  initialValues?: Partial<V>;
  children: ReactNode;
}

/** The admin console's modal form: save validates then submits, cancel closes, nothing kept between openings. */
export function FormModal<V>({ open, title, form, saving, onSubmit, onClose, initialValues, children }: FormModalProps<V>) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving }}
      onOk={() => void form.validateFields().then(onSubmit, () => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<V> form={form} layout="vertical" preserve={false} initialValues={initialValues}>
        {children}
      </Form>
    </Modal>
  );
}
