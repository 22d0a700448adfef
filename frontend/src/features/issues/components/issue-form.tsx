import { useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Select, Space, type FormInstance } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ISSUE_KINDS, ISSUE_SOURCES, type Issue, type IssueCreate } from '@/api/types';
import { fieldErrorList } from '@/api/problem';
import { directoryQueries } from '@/features/directory';

export type IssueFormValues = IssueCreate;

/** The form's field labels (i18n keys), also used to name changed fields in an edit conflict. */
export const ISSUE_FIELD_LABELS = {
  campaign_id: 'issues.campaign',
  title: 'issues.titleField',
  description: 'issues.description',
  kind: 'issues.kind',
  source: 'issues.source',
  category_id: 'issues.category',
  city: 'issues.city',
  cause: 'issues.cause',
  measures: 'issues.measures',
} as const satisfies Record<keyof IssueFormValues, string>;

/** The form's values for a stored issue (absent optional fields are undefined, not null). */
export function issueFormValues(issue: Issue): IssueFormValues {
  return {
    campaign_id: issue.campaign_id,
    title: issue.title,
    description: issue.description,
    kind: issue.kind,
    source: issue.source,
    category_id: issue.category_id ?? undefined,
    cause: issue.cause ?? undefined,
    measures: issue.measures ?? undefined,
    city: issue.city ?? undefined,
  };
}

interface Props {
  /** the issue being edited; absent when creating */
  issue?: Issue;
  /** a form instance owned by the page (the edit page resets it to a newer version); created here otherwise */
  form?: FormInstance<IssueFormValues>;
  submitting: boolean;
  /** resolves on success; rejects with the API error so field errors land on the form */
  onSubmit: (values: IssueFormValues) => Promise<void>;
  onCancel: () => void;
}

/** The one form of the issue entity, for create and edit. */
export function IssueForm({ issue, form: owned, submitting, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<IssueFormValues>(owned);
  const label = (name: keyof IssueFormValues) => t(ISSUE_FIELD_LABELS[name]);
  const campaigns = useQuery({ ...directoryQueries.campaigns(), enabled: !issue });
  const watched = Form.useWatch('campaign_id', form) as string | undefined;
  const campaignId = watched ?? issue?.campaign_id ?? '';
  const campaign = useQuery(directoryQueries.campaign(campaignId));
  const required = [{ required: true, message: t('forms.required') }];

  useEffect(() => {
    const first = campaigns.data?.[0];
    if (!issue && first && !form.getFieldValue('campaign_id')) form.setFieldValue('campaign_id', first.id);
  }, [campaigns.data, form, issue]);

  const submit = async (values: IssueFormValues) => {
    try {
      await onSubmit(values);
    } catch (error) {
      form.setFields(fieldErrorList(error) as Parameters<typeof form.setFields>[0]);
    }
  };

  const initial: Partial<IssueFormValues> = issue
    ? issueFormValues(issue)
    : { kind: 'problem', source: 'self_inspection' };

  return (
    <Form<IssueFormValues> form={form} layout="vertical" initialValues={initial} onFinish={submit} style={{ maxWidth: 720 }}>
      {issue ? null : (
        <Form.Item name="campaign_id" label={label('campaign_id')} rules={required}>
          <Select
            loading={campaigns.isPending}
            options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
      )}
      <Form.Item name="title" label={label('title')} rules={required}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="description" label={label('description')} rules={required}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="kind" label={label('kind')} rules={required}>
          <Select style={{ width: 160 }} options={ISSUE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="source" label={label('source')} rules={required}>
          <Select
            disabled={Boolean(issue)}
            style={{ width: 160 }}
            options={ISSUE_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="category_id" label={label('category_id')}>
          <Select
            allowClear
            style={{ width: 240 }}
            options={(campaign.data?.categories ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="city" label={label('city')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
      </Space>
      <Form.Item name="cause" label={label('cause')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="measures" label={label('measures')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {t('common.save')}
        </Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
