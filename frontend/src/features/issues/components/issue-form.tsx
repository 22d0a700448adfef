import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Space, Typography, type FormInstance } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { issueOutKindValues, issueOutSourceValues, type IssueCreateAndAssign, type IssueOut } from '@/api/generated/openapi';
import { fieldErrorList } from '@/api/problem';
import { directoryQueries, useUnits } from '@/features/directory';
import { DeadlineField } from './deadline-field';

/**
 * The form's fields: the create body but `requirements` (given when assigning) and `phase_id` (the API files an
 * issue under the campaign's current phase); an empty optional field is undefined.
 */
type FormFields = Omit<IssueCreateAndAssign, 'requirements' | 'phase_id' | 'assign'>;
export type IssueFormValues = { [K in keyof FormFields]: Exclude<FormFields[K], null> };

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
export function issueFormValues(issue: IssueOut): IssueFormValues {
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
  issue?: IssueOut;
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
  const { cityOptions, options: unitOptions } = useUnits();
  const leadUnit = Form.useWatch(['assign', 'lead_unit_id'], form) as string | undefined;
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
          <Select style={{ width: 160 }} options={issueOutKindValues.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="source" label={label('source')} rules={required}>
          <Select
            disabled={Boolean(issue)}
            style={{ width: 160 }}
            options={issueOutSourceValues.map((s) => ({ value: s, label: t(`source.${s}`) }))}
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
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 160 }} options={cityOptions} />
        </Form.Item>
      </Space>
      <Form.Item name="cause" label={label('cause')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="measures" label={label('measures')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      {issue ? null : (
        <Card size="small" title={t('ledger.assignNow')} style={{ marginBottom: 16 }} data-testid="assign-now">
          <Typography.Paragraph type="secondary">{t('ledger.assignNowHint')}</Typography.Paragraph>
          <Form.Item name={['assign', 'lead_unit_id']} label={t('fields.lead_unit_id')}>
            <Select allowClear showSearch optionFilterProp="label" options={unitOptions} />
          </Form.Item>
          {leadUnit ? (
            <>
              <Form.Item name={['assign', 'co_unit_ids']} label={t('fields.co_unit_ids')}>
                <Select mode="multiple" optionFilterProp="label" options={unitOptions.filter((o) => o.value !== leadUnit)} />
              </Form.Item>
              <Form.Item name={['assign', 'deadline']} label={t('fields.deadline')} rules={required}>
                <DeadlineField />
              </Form.Item>
              <Form.Item name={['assign', 'requirements']} label={t('fields.requirements')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          ) : null}
        </Card>
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {issue ? t('common.save') : leadUnit ? t('ledger.createAndAssign') : t('ledger.createOnly')}
        </Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
