import type { PublicSubmission, Reply } from '@citizen/types';
import { Form, Input, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { PublicPreview } from './public-preview';

interface Props {
  name: string;
  label: string;
  required?: boolean;
  /** What the submitter's page shows now (GET …/public-view); no preview while it loads or when there is none. */
  view: { data?: PublicSubmission | undefined };
  form: FormInstance;
  on?: Reply['on'];
}

/** A public reply's text with, beside it, the submitter's page as it will look once the reply is published. */
export function ReplyField({ name, label, required, view, form, on }: Props) {
  const { t } = useTranslation();
  const draft = Form.useWatch<string | undefined>(name, form);
  return (
    <>
      <Form.Item name={name} label={label} rules={required ? [{ required: true, message: t('forms.required') }] : []}>
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      {view.data ? <PublicPreview data={view.data} draft={draft} draftOn={on} /> : null}
    </>
  );
}
