import { Button, Checkbox, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { issueOutSourceValues, issueOutStatusValues } from '@/api/generated/openapi';
import { useCategories, useUnits } from '@/features/directory';
import type { IssueFilters } from '../lib/ledger-query';
import { DEFAULT_SORT } from '../lib/ledger-query';
import { CampaignFilter } from './campaign-filter';

interface Props {
  value: IssueFilters;
  onChange: (next: IssueFilters) => void;
}

const SORTS = [
  { value: 'urgency', key: 'ledger.sortUrgency' },
  { value: 'deadline', key: 'issues.sortDeadline' },
  { value: '-deadline', key: 'issues.sortDeadlineDesc' },
  { value: '-created_at', key: 'issues.sortCreatedDesc' },
  { value: 'created_at', key: 'issues.sortCreated' },
] as const;

export function IssueFilterBar({ value, onChange }: Props) {
  const { t } = useTranslation();
  const { options: unitOptions } = useUnits();
  const { options: categoryOptions } = useCategories(value.campaign_id);
  const set = (patch: Partial<IssueFilters>) => onChange({ ...value, ...patch });

  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Input.Search
        key={value.q ?? ''}
        allowClear
        aria-label={t('common.search')}
        placeholder={t('issues.searchPlaceholder')}
        defaultValue={value.q}
        onSearch={(q) => set({ q: q.trim() || undefined })}
        style={{ width: 240 }}
      />
      <CampaignFilter value={value} onChange={set} />
      <Select
        allowClear
        aria-label={t('issues.status')}
        placeholder={t('issues.status')}
        value={value.status}
        onChange={(status?: string) => set({ status })}
        options={issueOutStatusValues.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        style={{ width: 130 }}
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        aria-label={t('issues.leadUnit')}
        placeholder={t('issues.leadUnit')}
        value={value.unit_id}
        onChange={(unit_id?: string) => set({ unit_id })}
        options={unitOptions}
        style={{ width: 200 }}
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        aria-label={t('issues.category')}
        placeholder={t('issues.category')}
        value={value.category_id}
        onChange={(category_id?: string) => set({ category_id })}
        options={categoryOptions}
        style={{ width: 200 }}
      />
      <Select
        allowClear
        aria-label={t('issues.source')}
        placeholder={t('issues.source')}
        value={value.source}
        onChange={(source?: string) => set({ source })}
        options={issueOutSourceValues.map((s) => ({ value: s, label: t(`source.${s}`) }))}
        style={{ width: 130 }}
      />
      <Checkbox checked={value.overdue === true} onChange={(e) => set({ overdue: e.target.checked || undefined })}>
        {t('issues.overdueOnly')}
      </Checkbox>
      <Select
        aria-label={t('issues.sort')}
        placeholder={t('issues.sort')}
        value={value.sort ?? DEFAULT_SORT}
        onChange={(sort: string) => set({ sort: sort === DEFAULT_SORT ? undefined : sort })}
        options={SORTS.map((s) => ({ value: s.value, label: t(s.key) }))}
        style={{ width: 250 }}
      />
      <Button onClick={() => onChange({})}>{t('common.reset')}</Button>
    </Space>
  );
}
