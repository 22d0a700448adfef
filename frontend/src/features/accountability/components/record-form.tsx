import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { directoryQueries, useUnits } from '@/features/directory';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { accountabilityQueries, createRecord } from '../api/accountability-api';
import { KINDS, type Kind } from './kinds';

interface Values {
  unit_id: string;
  issue_ids?: string[];
  campaign_id?: string;
  kind: Kind;
  decided_on: Dayjs;
  outcome: string;
  document?: string;
}

interface Props {
  open: boolean;
  onClose: () => void;
}

/** 登记约谈问责: the unit, the issues of that unit it concerned (searched by code or title), the decision. */
export function RecordForm({ open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const { options: unitOptions } = useUnits();
  const campaigns = useQuery(directoryQueries.campaigns());
  const [form] = Form.useForm<Values>();
  const unitId = Form.useWatch<string | undefined>('unit_id', form);
  const issueIds = Form.useWatch<string[] | undefined>('issue_ids', form);
  const [search, setSearch] = useState('');
  const issues = useQuery({ ...accountabilityQueries.unitIssues(unitId ?? '', search), enabled: Boolean(unitId) });
  const create = useMutation({
    mutationFn: createRecord,
    onSuccess: async () => {
      void message.success(t('accountability.created'));
      form.resetFields();
      onClose();
      await queryClient.invalidateQueries({ queryKey: accountabilityQueries.all() });
    },
    onError: notifyError,
  });
  const submit = (v: Values) =>
    create.mutate({
      unit_id: v.unit_id,
      issue_ids: v.issue_ids ?? [],
      campaign_id: v.issue_ids?.length ? null : (v.campaign_id ?? null),
      kind: v.kind,
      decided_on: v.decided_on.format('YYYY-MM-DD'),
      outcome: v.outcome.trim(),
      document: v.document?.trim() || null,
    });
  return (
    <Modal
      open={open}
      title={t('accountability.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      width="min(640px, 100vw)"
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ kind: '约谈', decided_on: dayjs() }} onFinish={submit}>
        <Form.Item name="unit_id" label={t('accountability.unit')} rules={[{ required: true, message: t('accountability.unitRequired') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={unitOptions}
            placeholder={t('accountability.unit')}
            onChange={() => form.setFieldValue('issue_ids', [])}
          />
        </Form.Item>
        <Form.Item name="issue_ids" label={t('accountability.issues')} extra={t('accountability.issuesHint')}>
          <Select
            mode="multiple"
            showSearch
            filterOption={false}
            disabled={!unitId}
            onSearch={setSearch}
            loading={issues.isFetching}
            placeholder={t('accountability.issuesPlaceholder')}
            options={(issues.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.title}` }))}
          />
        </Form.Item>
        {issueIds?.length ? null : (
          <Form.Item name="campaign_id" label={t('accountability.campaign')} rules={[{ required: true, message: t('accountability.campaignRequired') }]}>
            <Select options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))} placeholder={t('accountability.campaign')} />
          </Form.Item>
        )}
        <Form.Item name="kind" label={t('accountability.kind')} rules={[{ required: true }]}>
          <Select options={Object.entries(KINDS).map(([value, key]) => ({ value, label: t(`accountability.kinds.${key}`) }))} />
        </Form.Item>
        <Form.Item name="decided_on" label={t('accountability.decidedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="outcome"
          label={t('accountability.outcome')}
          rules={[{ required: true, whitespace: true, message: t('accountability.outcomeRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="document" label={t('accountability.document')}>
          <Input maxLength={200} placeholder={t('accountability.documentPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
