import { App, Descriptions, Empty, Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ExtensionOut, IssueDetail } from '@/api/generated/openapi';
import { fieldErrorList } from '@/api/problem';
import { useUnits } from '@/features/directory';
import { DeadlineLight } from '@/features/deadlines';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { STEPS, type FormValues, type StepName } from '../api/issue-actions';
import { useIssueStep } from '../hooks/use-issue-step';
import { StepField } from './step-field';

interface Props {
  issue: IssueDetail;
  unitId: string | null | undefined;
  step: StepName | null;
  extensionRequests: ExtensionOut[];
  onClose: () => void;
}

/** What the lead unit takes on when it accepts (接收): the item, its deadline, the co-units, the requirements. */
function AcceptSummary({ issue }: { issue: IssueDetail }) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  return (
    <>
      <Typography.Paragraph>{t('ledger.acceptIntro')}</Typography.Paragraph>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }} data-testid="accept-summary">
        <Descriptions.Item label={t('issues.titleField')}>
          {issue.code} {issue.title}
        </Descriptions.Item>
        <Descriptions.Item label={t('issues.deadline')}>
          {formatDate(issue.deadline)} <DeadlineLight deadline={issue.deadline} status={issue.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('issues.coUnits')}>
          {issue.co_unit_ids.length ? issue.co_unit_ids.map((id) => unitName(id)).join('、') : t('ledger.coUnitsNone')}
        </Descriptions.Item>
        {issue.requirements ? <Descriptions.Item label={t('issues.requirements')}>{issue.requirements}</Descriptions.Item> : null}
      </Descriptions>
    </>
  );
}

/** The extension request the office decides: the date asked, why, who asked and when. */
function PendingRequest({ request }: { request: ExtensionOut | undefined }) {
  const { t } = useTranslation();
  if (!request) return <Empty description={t('ledger.noPendingRequest')} />;
  return (
    <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }} data-testid="pending-extension" title={t('ledger.extensionRequest')}>
      <Descriptions.Item label={t('ledger.requestedDeadline')}>{formatDate(request.new_deadline)}</Descriptions.Item>
      <Descriptions.Item label={t('ledger.extensionReason')}>
        <span style={{ whiteSpace: 'pre-wrap' }}>{request.reason}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('ledger.requestedBy')}>{request.requested_by_name ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('ledger.requestedAt')}>{formatDateTime(request.requested_at)}</Descriptions.Item>
    </Descriptions>
  );
}

/** The form for one workflow step; field errors of a 422 land on the fields. */
export function StepModal({ issue, unitId, step, extensionRequests, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const mutation = useIssueStep(issue.id, unitId);
  const notifyError = useErrorNotice();
  const spec = step ? STEPS[step] : null;
  const pending = extensionRequests.find((r) => r.status === 'pending');

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
      okText={spec?.name === 'decide_extension' ? t('common.submit') : spec ? t(`actions.${spec.name}`) : t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: spec?.danger === true, loading: mutation.isPending, disabled: spec?.name === 'decide_extension' && !pending }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {spec?.name === 'accept' ? <AcceptSummary issue={issue} /> : null}
      {spec?.name === 'decide_extension' ? <PendingRequest request={pending} /> : null}
      <Form form={form} layout="vertical" preserve={false} initialValues={pending ? { request_id: pending.id } : undefined}>
        {spec?.fields.map((f) => (
          <StepField key={f.name} field={f} extensionRequests={extensionRequests} coUnits={issue.co_units} issue={issue} />
        ))}
      </Form>
    </Modal>
  );
}
