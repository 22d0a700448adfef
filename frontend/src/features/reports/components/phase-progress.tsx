import { useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { PhaseRow } from '@/api/generated/openapi';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { formatRate } from '@/shared/lib/format';
import { reportQueries, type ReportFilters } from '../api/report-queries';

/** Each phase's dates, items, closed and overdue (and the on-time rate, where asked): a campaign's progress by phase. */
export function PhaseTable({ rows, onTime = false, testId }: { rows: PhaseRow[]; onTime?: boolean; testId?: string }) {
  const { t } = useTranslation();
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
    ...(onTime ? [{ title: t('reports.onTimeRate'), dataIndex: 'on_time_rate', render: formatRate }] : []),
  ];
  return (
    <ResponsiveTable<PhaseRow>
      rowKey={(row) => row.phase_id ?? ''}
      card={{ title: 'phase_name' }}
      columns={columns}
      dataSource={rows}
      pagination={false}
      size="small"
      data-testid={testId}
    />
  );
}

/** 分阶段进度: the summary's per-phase rows, once a campaign is chosen (the summary has none without one). */
export function PhaseProgress({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useQuery(reportQueries.summary(filters));
  const rows = query.data?.phases;
  if (!rows?.length) return null;
  return (
    <Card size="small" title={t('reports.phases.title')}>
      <PhaseTable rows={rows} onTime testId="report-phase-progress" />
    </Card>
  );
}
