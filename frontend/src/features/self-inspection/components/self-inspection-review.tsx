import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssueOut, ReviewOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { confirmItem, LEDGER_KEY, reviseItem, selfInspectionQueries, sendBack } from '../api/self-inspection-api';

type Dialog = 'confirm' | 'send-back' | 'revise' | null;

/**
 * A unit's self-inspection item (自查自纠) while it waits: its review state, and the step each side takes now —
 * the office confirms (assigned to the unit, by default until its phase ends) or sends it back with a reason;
 * the unit revises an item sent back.
 */
export function SelfInspectionReview({ issue }: { issue: IssueOut }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const waiting = issue.source === 'self_inspection' && issue.status === 'registered';
  const review = useQuery({ ...selfInspectionQueries.review(issue.id), enabled: waiting });
  const [dialog, setDialog] = useState<Dialog>(null);
  if (!waiting || !review.data) return null;
  const r = review.data;
  const office = user?.role === 'office' || user?.role === 'admin';
  const ownUnit = user?.role === 'unit' && user.unit_id === r.unit_id;
  const actions = (
    <Space wrap>
      {office ? (
        <Button type="primary" onClick={() => setDialog('confirm')} data-testid="self-inspection-confirm">
          {t('selfInspection.confirm')}
        </Button>
      ) : null}
      {office && r.status === 'pending' ? (
        <Button danger onClick={() => setDialog('send-back')} data-testid="self-inspection-send-back">
          {t('selfInspection.sendBack')}
        </Button>
      ) : null}
      {ownUnit && r.status === 'sent_back' ? (
        <Button type="primary" onClick={() => setDialog('revise')}>
          {t('selfInspection.revise')}
        </Button>
      ) : null}
    </Space>
  );
  return (
    <>
      <Alert
        style={{ margin: '16px 0' }}
        type={r.status === 'sent_back' ? 'warning' : 'info'}
        showIcon
        message={t(`selfInspection.status.${r.status}`)}
        description={
          r.status === 'sent_back'
            ? t('selfInspection.sentBackText', { reason: r.reason ?? '', at: formatDateTime(r.decided_at) })
            : t('selfInspection.pendingText', { at: formatDateTime(r.filed_at) })
        }
        action={actions}
      />
      <StepDialog dialog={dialog} issue={issue} review={r} onClose={() => setDialog(null)} />
    </>
  );
}

interface StepValues {
  deadline?: Dayjs;
  reason?: string;
  cause?: string;
  measures?: string;
}

function StepDialog({ dialog, issue, review, onClose }: { dialog: Dialog; issue: IssueOut; review: ReviewOut; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<StepValues>();
  const step = useMutation({
    mutationFn: async (v: StepValues): Promise<unknown> => {
      if (dialog === 'confirm') return confirmItem(issue.id, { deadline: v.deadline?.format('YYYY-MM-DD') ?? null });
      if (dialog === 'send-back') return sendBack(issue.id, v.reason?.trim() ?? '');
      return reviseItem(issue.id, { cause: v.cause?.trim() || null, measures: v.measures?.trim() || null });
    },
    onSuccess: async () => {
      void message.success(t('selfInspection.done'));
      onClose();
      await queryClient.invalidateQueries({ queryKey: LEDGER_KEY });
      await queryClient.invalidateQueries({ queryKey: selfInspectionQueries.all() });
    },
    onError: notifyError,
  });
  const title = dialog === 'confirm' ? t('selfInspection.confirm') : dialog === 'send-back' ? t('selfInspection.sendBack') : t('selfInspection.revise');
  return (
    <Modal
      open={dialog !== null}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={step.isPending}
      destroyOnHidden
    >
      <Form<StepValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ cause: issue.cause ?? undefined, measures: issue.measures ?? undefined }}
        onFinish={(v) => step.mutate(v)}
      >
        {dialog === 'confirm' ? (
          <Form.Item name="deadline" label={t('issues.deadline')} extra={t('selfInspection.deadlineHint')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        ) : null}
        {dialog === 'send-back' ? (
          <Form.Item name="reason" label={t('selfInspection.reason')} rules={[{ required: true, whitespace: true, message: t('selfInspection.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
        ) : null}
        {dialog === 'revise' ? (
          <>
            {review.reason ? <Alert type="warning" message={review.reason} style={{ marginBottom: 16 }} /> : null}
            <Form.Item name="cause" label={t('issues.cause')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="measures" label={t('issues.measures')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
