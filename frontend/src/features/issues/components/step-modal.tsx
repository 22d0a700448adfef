import { App, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CoUnit, ExtensionRequest } from '@/api/types';
import { fieldErrorList } from '@/api/problem';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { STEPS, type FormValues, type StepName } from '../api/issue-actions';
import { useIssueStep } from '../hooks/use-issue-step';
import { StepField } from './step-field';

interface Props {
  issueId: string;
  unitId: string | null | undefined;
  step: StepName | null;
  extensionRequests: ExtensionRequest[];
  coUnits: CoUnit[];
  onClose: () => void;
}

/** The form for one workflow step; field errors of a 422 land on the fields. */
export function StepModal({ issueId, unitId, step, extensionRequests, coUnits, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const mutation = useIssueStep(issueId, unitId);
  const notifyError = useErrorNotice();
  const spec = step ? STEPS[step] : null;

  const submit = async () => {
    if (!spec) return;
    const values = spec.fields.length > 0 ? await form.validateFields() : {};
    try {
      await mutation.mutateAsync({ step: spec.name, values });
      void message.success(t('common.done'));
      form.resetFields();
      onClose();
    } catch (error) {
      form.setFields(fieldErrorList(error));
      notifyError(error);
    }
  };

  return (
    <Modal
      open={spec !== null}
      title={spec ? t(`actions.${spec.name}`) : ''}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: spec?.danger === true, loading: mutation.isPending }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        {spec?.fields.map((f) => (
          <StepField key={f.name} field={f} extensionRequests={extensionRequests} coUnits={coUnits} />
        ))}
      </Form>
    </Modal>
  );
}
