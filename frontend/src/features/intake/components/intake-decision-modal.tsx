import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IntakeItem } from '@/api/types';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { decideIntake, intakeQueries, type IntakeDecision } from '../api/intake-api';

export type DecisionKind = IntakeDecision['kind'];

interface Props {
  item: IntakeItem | null;
  kind: DecisionKind;
  onClose: () => void;
}

/** Accept / merge / reject one public submission. */
export function IntakeDecisionModal({ item, kind, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ issue_id?: string; reason?: string }>();
  const mutation = useMutation({
    mutationFn: (decision: IntakeDecision) => decideIntake(item?.id ?? '', decision),
    onSuccess: () => {
      void message.success(t('common.done'));
      onClose();
    },
    onError: notifyError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: intakeQueries.all() }),
  });

  const submit = async () => {
    const values = await form.validateFields();
    if (kind === 'merge') mutation.mutate({ kind, issue_id: values.issue_id?.trim() ?? '' });
    else if (kind === 'reject') mutation.mutate({ kind, reason: values.reason?.trim() ?? '' });
    else mutation.mutate({ kind });
  };
  const required = [{ required: true, message: t('forms.required') }];

  return (
    <Modal
      open={item !== null}
      title={`${t(`intake.${kind}`)} — ${item?.title ?? ''}`}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending, danger: kind === 'reject' }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        {kind === 'merge' ? (
          <Form.Item name="issue_id" label={t('intake.issueId')} rules={required}>
            <Input />
          </Form.Item>
        ) : null}
        {kind === 'reject' ? (
          <Form.Item name="reason" label={t('intake.rejectReason')} rules={required}>
            <Input.TextArea rows={3} />
          </Form.Item>
        ) : null}
        {item ? <p style={{ whiteSpace: 'pre-wrap' }}>{item.content}</p> : null}
      </Form>
    </Modal>
  );
}
