import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, DatePicker, Descriptions, Form, Input, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { IntakeOut } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { decideIntake, followUp, intakeQueries, replyToSubmission } from '../api/intake-api';
import { MergePicker } from './merge-picker';
import { ReplyField } from './reply-field';

export type DecisionKind = 'accept' | 'merge' | 'reject' | 'reply' | 'followup';

interface Props {
  item: IntakeOut | null;
  kind: DecisionKind;
  onClose: () => void;
}

interface Values {
  issue_id?: string;
  reason?: string;
  reply?: string;
  assign_now?: boolean;
  lead_unit_id?: string;
  deadline?: Dayjs;
  action?: 'reopen' | 'answer';
}

function send(item: IntakeOut, kind: DecisionKind, v: Values): Promise<unknown> {
  const reply = v.reply?.trim() || undefined;
  switch (kind) {
    case 'accept': {
      const assign = v.assign_now && v.lead_unit_id && v.deadline ? { lead_unit_id: v.lead_unit_id, deadline: v.deadline.format('YYYY-MM-DD') } : undefined;
      return decideIntake(item.id, { kind, ...(assign ? { assign } : {}), ...(reply ? { public_reply: reply } : {}) });
    }
    case 'merge':
      return decideIntake(item.id, { kind, issue_id: v.issue_id ?? '', ...(reply ? { public_reply: reply } : {}) });
    case 'reject':
      return decideIntake(item.id, { kind, reason: v.reply?.trim() ?? '' });
    case 'reply':
      return replyToSubmission(item.id, v.reply?.trim() ?? '');
    case 'followup':
      return followUp(item.id, v.action ?? 'answer', (v.action === 'reopen' ? v.reason : v.reply)?.trim() ?? '');
  }
}

/** Accept (and assign), merge, reject, reply publicly, or settle a "not satisfied": one submission at a time. */
export function IntakeDecisionModal({ item, kind, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const units = useUnits();
  const [form] = Form.useForm<Values>();
  const assignNow = Form.useWatch('assign_now', form);
  const action = Form.useWatch('action', form);
  const view = useQuery({ ...intakeQueries.publicView(item?.id ?? ''), enabled: item !== null });
  const mutation = useMutation({
    mutationFn: (values: Values) => send(item as IntakeOut, kind, values),
    onSuccess: (answer, values) => {
      void message.success(t('common.done'));
      onClose();
      // 受理登记 makes an issue: open it, with the 交办 dialog ready unless it was assigned at once
      const issueId = kind === 'accept' ? (answer as IntakeOut | undefined)?.issue_id : undefined;
      if (issueId) void navigate(`/issues/${encodeURIComponent(issueId)}${values.assign_now ? '' : '?step=assign'}`);
    },
    onError: notifyError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: intakeQueries.all() }),
  });
  const required = [{ required: true, message: t('forms.required') }];
  const replyLabel = kind === 'reject' ? t('intake.rejectReason') : kind === 'accept' || kind === 'merge' ? t('intake.replyOptional') : t('intake.replyLabel');
  const showReply = kind !== 'followup' || action === 'answer';

  return (
    <Modal
      open={item !== null}
      title={`${t(kind === 'followup' ? 'intake.followup' : `intake.${kind}`)} — ${item?.title ?? ''}`}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending, danger: kind === 'reject' }}
      onOk={() => void form.validateFields().then((v) => mutation.mutate(v)).catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      width={720}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ action: 'reopen' }}>
        {item ? <p style={{ whiteSpace: 'pre-wrap' }}>{item.content}</p> : null}
        {kind === 'followup' && item ? (
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('intake.rating')}>{item.rating ?? '—'}/5 {item.feedback_comment ?? ''}</Descriptions.Item>
            {item.appeal_reason ? <Descriptions.Item label={t('intake.appeal')}>{item.appeal_reason}</Descriptions.Item> : null}
          </Descriptions>
        ) : null}
        {kind === 'merge' && item ? (
          <Form.Item name="issue_id" rules={[{ required: true, message: t('intake.pickIssue') }]}>
            <MergePicker submissionId={item.id} />
          </Form.Item>
        ) : null}
        {kind === 'accept' ? (
          <>
            <Form.Item name="assign_now" valuePropName="checked">
              <Checkbox>{t('intake.assignNow')}</Checkbox>
            </Form.Item>
            {assignNow ? (
              <>
                <Form.Item name="lead_unit_id" label={t('intake.leadUnit')} rules={required}>
                  <Select showSearch optionFilterProp="label" options={units.options} loading={units.isLoading} />
                </Form.Item>
                <Form.Item name="deadline" label={t('intake.deadline')} rules={required}>
                  <DatePicker />
                </Form.Item>
              </>
            ) : null}
          </>
        ) : null}
        {kind === 'followup' ? (
          <Form.Item name="action" label={t('intake.followupAction')} rules={required}>
            <Radio.Group>
              <Radio value="reopen">{t('intake.reopen')}</Radio>
              <Radio value="answer">{t('intake.answer')}</Radio>
            </Radio.Group>
          </Form.Item>
        ) : null}
        {kind === 'followup' && action === 'reopen' ? (
          <Form.Item name="reason" label={t('intake.reopenReason')} rules={required}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        ) : null}
        {showReply ? <ReplyField name="reply" label={replyLabel} required={kind !== 'accept' && kind !== 'merge'} view={view} form={form} /> : null}
      </Form>
    </Modal>
  );
}
