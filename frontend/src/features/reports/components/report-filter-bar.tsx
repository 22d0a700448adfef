import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { issueOutSourceValues } from '@/api/generated/openapi';
import { directoryQueries, useCategories, useUnits } from '@/features/directory';
import type { ReportFilters } from '../api/report-queries';
import { PhaseSelect } from './phase-select';

interface Props {
  value: ReportFilters;
  onChange: (next: ReportFilters) => void;
  /** unit users are confined to their unit by the API: no unit picker for them */
  showUnit: boolean;
}

const DAY = 'YYYY-MM-DD';

function day(value: string | undefined): Dayjs | null {
  return value ? dayjs(value, DAY) : null;
}

/** The filters shared by every report section and the ledger download. */
export function ReportFilterBar({ value, onChange, showUnit }: Props) {
  const { t } = useTranslation();
  const campaigns = useQuery(directoryQueries.campaigns());
  const { options: unitOptions, cityOptions } = useUnits();
  const { options: categoryOptions } = useCategories(value.campaign_id);
  const set = (patch: ReportFilters) => onChange({ ...value, ...patch });

  return (
    <Space wrap>
      <Select
        allowClear
        aria-label={t('reports.filters.campaign')}
        placeholder={t('reports.filters.campaign')}
        value={value.campaign_id}
        onChange={(campaign_id?: string) => set({ campaign_id, phase_id: undefined, category_id: undefined })}
        options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        style={{ width: 220 }}
      />
      <PhaseSelect campaignId={value.campaign_id} value={value.phase_id} onChange={(phase_id) => set({ phase_id })} />
      {showUnit ? (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t('reports.filters.unit')}
          placeholder={t('reports.filters.unit')}
          value={value.unit_id}
          onChange={(unit_id?: string) => set({ unit_id })}
          options={unitOptions}
          style={{ width: 200 }}
        />
      ) : null}
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        aria-label={t('reports.filters.category')}
        placeholder={t('reports.filters.category')}
        value={value.category_id}
        onChange={(category_id?: string) => set({ category_id })}
        options={categoryOptions}
        style={{ width: 180 }}
      />
      <Select
        allowClear
        aria-label={t('reports.filters.source')}
        placeholder={t('reports.filters.source')}
        value={value.source}
        onChange={(source?: string) => set({ source })}
        options={issueOutSourceValues.map((s) => ({ value: s, label: t(`source.${s}`) }))}
        style={{ width: 130 }}
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        aria-label={t('reports.filters.city')}
        placeholder={t('reports.filters.city')}
        value={value.city}
        onChange={(city?: string) => set({ city })}
        options={cityOptions}
        style={{ width: 150 }}
      />
      <DatePicker.RangePicker
        aria-label={t('reports.filters.period')}
        placeholder={[t('reports.filters.from'), t('reports.filters.to')]}
        value={[day(value.from), day(value.to)]}
        allowEmpty={[true, true]}
        onChange={(range) => set({ from: range?.[0]?.format(DAY), to: range?.[1]?.format(DAY) })}
      />
      <Button onClick={() => onChange({})}>{t('common.reset')}</Button>
    </Space>
  );
}
