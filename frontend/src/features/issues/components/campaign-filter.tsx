import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { directoryQueries } from '@/features/directory';
import type { IssueFilters } from '../lib/ledger-query';

interface Props {
  value: IssueFilters;
  onChange: (patch: Partial<IssueFilters>) => void;
}

/**
 * 专项行动 and 所属阶段 of the ledger's filters, each cleared by its ✕. A link names them by id (the import page
 * opens `/issues?campaign_id=…`); the selects show their names, never the id: 加载中… until the names are read,
 * 未知专项行动 / 未知阶段 for an id that names none. A new campaign drops the phase and the category of the old one.
 */
export function CampaignFilter({ value, onChange }: Props) {
  const { t } = useTranslation();
  const campaigns = useQuery(directoryQueries.campaigns());
  // the chosen campaign on its own: its name even when the list has not come, and its phases
  const chosen = useQuery(directoryQueries.campaign(value.campaign_id ?? ''));
  const listed = useMemo(() => campaigns.data ?? [], [campaigns.data]);
  const campaignOptions = useMemo(() => {
    const all = chosen.data && !listed.some((c) => c.id === chosen.data.id) ? [chosen.data, ...listed] : listed;
    return all.map((c) => ({ value: c.id, label: c.name }));
  }, [listed, chosen.data]);
  // a phase without a campaign (a shared link) is named from every campaign's phases
  const phaseOptions = useMemo(() => {
    const phases = value.campaign_id ? (chosen.data?.phases ?? []) : listed.flatMap((c) => c.phases);
    return phases.map((p) => ({ value: p.id, label: p.name }));
  }, [value.campaign_id, chosen.data, listed]);
  const loading = campaigns.isPending || (value.campaign_id !== undefined && chosen.isPending);

  return (
    <>
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        aria-label={t('issues.campaign')}
        placeholder={t('issues.campaign')}
        value={value.campaign_id}
        onChange={(campaign_id?: string) => onChange({ campaign_id, phase_id: undefined, category_id: undefined })}
        options={campaignOptions}
        labelRender={({ label }) => label ?? (loading ? t('app.loading') : t('issues.unknownCampaign'))}
        data-testid="ledger-campaign-filter"
        style={{ width: 220 }}
      />
      {value.campaign_id || value.phase_id ? (
        <Select
          allowClear
          aria-label={t('issues.phase')}
          placeholder={t('issues.phase')}
          value={value.phase_id}
          onChange={(phase_id?: string) => onChange({ phase_id })}
          options={phaseOptions}
          labelRender={({ label }) => label ?? (loading ? t('app.loading') : t('issues.unknownPhase'))}
          data-testid="ledger-phase-filter"
          style={{ width: 160 }}
        />
      ) : null}
    </>
  );
}
