import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchResult, IssueOut } from '@/api/generated/openapi';
import { fieldErrorList } from '@/api/problem';
import { useUnits } from '@/features/directory';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { batchAssign, batchUrge } from '../api/ledger-api';
import { issueQueries } from '../api/issue-queries';
import { DeadlineField } from './deadline-field';

type BatchKind = 'assign' | 'urge';

interface Props {
  /** the ticked rows (kept across pages) */
  selected: IssueOut[];
  onClear: () => void;
}

interface AssignValues {
  lead_unit_id: string;
  co_unit_ids?: string[];
  deadline: Dayjs;
  requirements?: string;
}

/** The bar over the ledger once rows are ticked: 成批交办 and 成批催办, each one request with a result per item. */
export function LedgerBatchBar({ selected, onClear }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<BatchKind | null>(null);
  if (selected.length === 0) return null;
  const registered = selected.filter((i) => i.status === 'registered').length;
  return (
    <>
      <Alert
        type="info"
        style={{ marginBottom: 12 }}
        data-testid="batch-bar"
        message={
          <Space wrap>
            <Typography.Text strong>{t('ledger.selected', { count: selected.length })}</Typography.Text>
            <Button type="primary" size="small" onClick={() => setOpen('assign')}>
              {t('ledger.batchAssign')}
            </Button>
            <Button size="small" onClick={() => setOpen('urge')}>
              {t('ledger.batchUrge')}
            </Button>
            <Button size="small" type="link" onClick={onClear}>
              {t('ledger.clearSelection')}
            </Button>
            {registered < selected.length ? (
              <Typography.Text type="secondary">{t('ledger.assignOnlyRegistered', { count: registered })}</Typography.Text>
            ) : null}
          </Space>
        }
      />
      <BatchModal kind={open} selected={selected} onClose={() => setOpen(null)} onDone={onClear} />
    </>
  );
}

function BatchModal({ kind, selected, onClose, onDone }: { kind: BatchKind | null; selected: IssueOut[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { options } = useUnits();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<BatchResult | null>(null);
  const ids = selected.map((i) => i.id);
  const mutation = useMutation({
    mutationFn: async (values: Record<string, unknown>) => {
      if (kind === 'assign') {
        const v = values as unknown as AssignValues;
        return batchAssign({
          issue_ids: ids,
          lead_unit_id: v.lead_unit_id,
          co_unit_ids: v.co_unit_ids ?? [],
          deadline: v.deadline.format('YYYY-MM-DD'),
          ...(v.requirements?.trim() ? { requirements: v.requirements.trim() } : {}),
        });
      }
      const content = typeof values.content === 'string' ? values.content.trim() : '';
      return batchUrge({ issue_ids: ids, content });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: issueQueries.all() }),
  });

  const close = () => {
    if (result) onDone();
    setResult(null);
    form.resetFields();
    onClose();
  };

  const submit = async () => {
    const values = (await form.validateFields()) as Record<string, unknown>;
    try {
      setResult(await mutation.mutateAsync(values));
    } catch (error) {
      form.setFields(fieldErrorList(error));
      notifyError(error);
    }
  };

  const title = kind ? t(kind === 'assign' ? 'ledger.batchAssignTitle' : 'ledger.batchUrgeTitle', { count: selected.length }) : '';
  return (
    <Modal
      open={kind !== null}
      title={title}
      onCancel={close}
      destroyOnHidden
      footer={
        result ? (
          <Button type="primary" onClick={close}>
            {t('common.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={mutation.isPending} onClick={() => void submit().catch(() => undefined)}>
              {t(kind === 'assign' ? 'ledger.batchAssign' : 'ledger.batchUrge')}
            </Button>
          </Space>
        )
      }
    >
      {result ? (
        <BatchOutcome result={result} selected={selected} />
      ) : (
        <Form form={form} layout="vertical" preserve={false}>
          {kind === 'assign' ? (
            <>
              <Form.Item name="lead_unit_id" label={t('fields.lead_unit_id')} rules={[{ required: true, message: t('forms.required') }]}>
                <Select showSearch optionFilterProp="label" options={options} />
              </Form.Item>
              <Form.Item name="co_unit_ids" label={t('fields.co_unit_ids')}>
                <Select mode="multiple" optionFilterProp="label" options={options} />
              </Form.Item>
              <Form.Item name="deadline" label={t('fields.deadline')} rules={[{ required: true, message: t('forms.required') }]}>
                <DeadlineField />
              </Form.Item>
              <Form.Item name="requirements" label={t('fields.requirements')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="content" label={t('ledger.urgeContent')} rules={[{ required: true, whitespace: true, message: t('forms.required') }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          <Typography.Text type="secondary">{t('ledger.batchItems', { codes: selected.map((i) => i.code).join('、') })}</Typography.Text>
        </Form>
      )}
    </Modal>
  );
}

/** What happened to each item: how many went through, and for each refused one its code, title and why. */
function BatchOutcome({ result, selected }: { result: BatchResult; selected: IssueOut[] }) {
  const { t } = useTranslation();
  const byId = new Map(selected.map((i) => [i.id, i]));
  const failed = result.results.filter((r) => !r.ok);
  return (
    <div data-testid="batch-outcome">
      <Alert
        type={result.failed === 0 ? 'success' : result.succeeded === 0 ? 'error' : 'warning'}
        message={t('ledger.batchOutcome', { ok: result.succeeded, failed: result.failed })}
        style={{ marginBottom: 12 }}
      />
      {failed.length > 0 ? (
        <List
          size="small"
          dataSource={failed}
          renderItem={(r) => {
            const issue = byId.get(r.issue_id);
            return (
              <List.Item>
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>
                    {r.code ?? issue?.code ?? ''} {issue?.title ?? ''}
                  </Typography.Text>
                  <Space size={4} wrap>
                    <Tag color="red">{r.problem?.title}</Tag>
                  </Space>
                </Space>
              </List.Item>
            );
          }}
        />
      ) : null}
    </div>
  );
}
