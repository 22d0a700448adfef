import { useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { PhaseRow } from '@/api/generated/openapi';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { formatRate } from '@/shared/lib/format';
import { reportQueries, type ReportFilters } from '../api/report-queries';

/** 分阶段进度: the summary's per-phase rows, once a campaign is chosen (the summary has none without one). */
export function PhaseProgress({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useQuery(reportQueries.summary(filters));
  const rows = query.data?.phases;
  if (!rows?.length) return null;
  const columns: ColumnsType<PhaseRow> = [
    { title: t('reports.phases.phase'), dataIndex: 'phase_name', render: (name: string) => name || t('reports.phases.noPhase') },
    {
      title: t('reports.phases.dates'),
      key: 'dates',
      render: (_: unknown, row) => (row.starts_on && row.ends_on ? `${row.starts_on} ~ ${row.ends_on}` : '—'),
    },
    { title: t('reports.total'), dataIndex: 'total' },
    { title: t('reports.closed'), dataIndex: 'closed' },
    { title: t('reports.overdue'), dataIndex: 'overdue' },
    { title: t('reports.onTimeRate'), dataIndex: 'on_time_rate', render: formatRate },
  ];
  return (
    <Card size="small" title={t('reports.phases.title')}>
      <ResponsiveTable<PhaseRow>
        rowKey={(row) => row.phase_id ?? ''}
        card={{ title: 'phase_name' }}
        columns={columns}
        dataSource={rows}
        pagination={false}
        size="small"
        data-testid="report-phase-progress"
      />
    </Card>
  );
}
