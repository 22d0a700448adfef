import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { directoryQueries } from '@/features/directory';

interface Props {
  campaignId: string | undefined;
  value: string | undefined;
  onChange: (phaseId: string | undefined) => void;
}

/**
 * 所属阶段 of the report filters: the chosen campaign's phases by name, never an id (加载中… until the names are
 * read, 未知阶段 for an id that names none). Shown once a campaign is chosen, or when a shared link names a phase
 * alone (then named from every campaign's phases).
 */
export function PhaseSelect({ campaignId, value, onChange }: Props) {
  const { t } = useTranslation();
  const alone = !campaignId && value !== undefined;
  const campaigns = useQuery({ ...directoryQueries.campaigns(), enabled: alone });
  const chosen = useQuery(directoryQueries.campaign(campaignId ?? ''));
  const options = useMemo(() => {
    if (!campaignId && !alone) return [];
    const phases = campaignId ? (chosen.data?.phases ?? []) : (campaigns.data ?? []).flatMap((c) => c.phases);
    return phases.map((p) => ({ value: p.id, label: p.name }));
  }, [campaignId, alone, chosen.data, campaigns.data]);
  const loading = campaignId ? chosen.isPending : campaigns.isPending;
  if (!campaignId && !value) return null;
  return (
    <Select
      allowClear
      aria-label={t('reports.filters.phase')}
      placeholder={t('reports.filters.phase')}
      value={value}
      onChange={(phaseId?: string) => onChange(phaseId)}
      options={options}
      labelRender={({ label }) => label ?? (loading ? t('app.loading') : t('reports.filters.unknownPhase'))}
      data-testid="report-phase-filter"
      style={{ width: 160 }}
    />
  );
}
