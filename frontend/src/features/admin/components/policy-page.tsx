import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/problem';
import type { EscalationPolicy, PolicyOut } from '@/api/generated/openapi';
import { directoryQueries } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { PageLoading } from '@/shared/components/page-loading';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { notifySettingsQueries, putPolicy } from '../api/notify-settings-api';
import { PolicyStepsEditor } from './policy-steps-editor';

interface FieldProblem {
  /** the form path, numbers for list rows: ['steps', 0, 'offset_wd'] */
  path: (string | number)[];
  message: string;
}

/** A 422's field errors with list indexes as numbers, so they land on the rows of the step table. */
function fieldProblems(error: unknown): FieldProblem[] {
  if (!isApiError(error)) return [];
  return Object.entries(error.problem.fieldErrors).flatMap(([field, messages]) =>
    messages.map((message) => ({
      path: field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      message,
    })),
  );
}

function PolicyEditor({ campaignId, policy }: { campaignId: string; policy: PolicyOut }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const notifyError = useErrorNotice();
  const [form] = Form.useForm<EscalationPolicy>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const save = useMutation({
    mutationFn: (values: EscalationPolicy) =>
      putPolicy(campaignId, {
        steps: values.steps.map((s) => ({ ...s, code: s.code.trim() })),
        ack_within_wd: values.ack_within_wd,
      }),
    onSuccess: (saved) => {
      setProblems([]);
      void message.success(t('common.saved'));
      queryClient.setQueryData(notifySettingsQueries.policy(campaignId).queryKey, saved);
    },
    onError: (error) => {
      const found = fieldProblems(error);
      setProblems(found);
      // errors on a step's field go under that cell; the rest (a whole step, the policy) only in the list
      const cells = found.filter((p) => p.path.length > 2).map((p) => ({ name: p.path, errors: [p.message] }));
      form.setFields(cells as Parameters<typeof form.setFields>[0]);
      notifyError(error);
    },
  });
  const where = (path: (string | number)[]) => {
    const [head, row, field] = path;
    if (head === 'steps' && typeof row === 'number') {
      const name = field === undefined ? '' : t(`admin.policy.fieldNames.${field}`, { defaultValue: String(field) });
      return t('admin.policy.stepProblem', { n: row + 1, field: name });
    }
    return path.length > 0 && head !== 'body' ? path.join('.') : t('admin.policy.wholePolicy');
  };

  return (
    <Form<EscalationPolicy>
      form={form}
      layout="vertical"
      initialValues={{ steps: policy.steps, ack_within_wd: policy.ack_within_wd }}
      onFinish={(values) => save.mutate(values)}
    >
      <PolicyStepsEditor labels={policy.labels ?? {}} />
      <Form.Item
        name="ack_within_wd"
        label={t('admin.policy.ackWithin')}
        extra={t('admin.policy.ackWithinHint')}
        rules={[{ required: true, message: t('forms.required') }]}
        style={{ marginTop: 16 }}
      >
        <InputNumber min={1} max={20} precision={0} />
      </Form.Item>
      {problems.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('admin.policy.invalid')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {problems.map((p, i) => (
                <li key={i}>
                  {where(p.path)}：{p.message}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('admin.policy.save')}
      </Button>
    </Form>
  );
}

/** 升级策略: a campaign's escalation steps, shown and replaced as a whole. */
export function PolicyPage() {
  const { t } = useTranslation();
  const campaigns = useQuery(directoryQueries.campaigns());
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const campaignId = chosen ?? campaigns.data?.[0]?.id;
  const policy = useQuery({ ...notifySettingsQueries.policy(campaignId ?? ''), enabled: campaignId !== undefined });

  return (
    <div>
      <Typography.Title level={3}>{t('admin.nav.policies')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('forms.campaign')}
          placeholder={t('forms.campaign')}
          style={{ width: 280 }}
          loading={campaigns.isPending}
          value={campaignId}
          onChange={(v: string) => setChosen(v)}
          options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
      </Space>
      {campaigns.isError ? <ErrorResult error={campaigns.error} onRetry={() => void campaigns.refetch()} /> : null}
      {policy.isError ? <ErrorResult error={policy.error} onRetry={() => void policy.refetch()} /> : null}
      {campaignId !== undefined && policy.isPending ? <PageLoading /> : null}
      {campaignId === undefined && campaigns.isSuccess ? <Alert type="info" message={t('admin.policy.noCampaign')} /> : null}
      {policy.data && campaignId ? (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('admin.policy.source')}>
              <Tag color={policy.data.is_default ? 'default' : 'blue'}>{t(`admin.policy.sources.${policy.data.source}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.policy.version')}>{policy.data.version}</Descriptions.Item>
          </Descriptions>
          {policy.data.is_default ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('admin.policy.defaultHint')} /> : null}
          <PolicyEditor key={`${campaignId}:${policy.data.version}`} campaignId={campaignId} policy={policy.data} />
        </>
      ) : null}
    </div>
  );
}
