import { useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CategoryRow } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatRate } from '@/shared/lib/format';
import { reportQueries, type ReportFilters } from '../api/report-queries';
import { EChart, type ChartOption } from './echart';
import { Freshness } from './freshness';
import { ResponsiveTable } from '@/shared/components/responsive-table';

/** 分类统计: issues per category, with a stacked open/closed bar chart. */
export function CategorySection({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useQuery(reportQueries.categories(filters));
  const rows = query.data?.items;
  const columns: ColumnsType<CategoryRow> = [
    { title: t('reports.category'), dataIndex: 'category_name' },
    { title: t('reports.total'), dataIndex: 'total', sorter: (a, b) => a.total - b.total },
    { title: t('reports.open'), dataIndex: 'open', sorter: (a, b) => a.open - b.open },
    { title: t('reports.closed'), dataIndex: 'closed', sorter: (a, b) => a.closed - b.closed },
    { title: t('reports.overdue'), dataIndex: 'overdue', sorter: (a, b) => a.overdue - b.overdue },
    { title: t('reports.closureRate'), dataIndex: 'closure_rate', render: formatRate },
    { title: t('reports.onTimeRate'), dataIndex: 'on_time_rate', render: formatRate },
  ];
  const option = useMemo<ChartOption>(() => {
    const items = rows ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('reports.open'), t('reports.closed')] },
      grid: { left: 40, right: 20, bottom: 60, top: 40 },
      xAxis: { type: 'category', data: items.map((r) => r.category_name), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('reports.open'), type: 'bar', stack: 'n', data: items.map((r) => r.open) },
        { name: t('reports.closed'), type: 'bar', stack: 'n', data: items.map((r) => r.closed) },
      ],
    };
  }, [rows, t]);
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Card title={t('reports.categories')} size="small">
      {query.data ? <Freshness value={query.data} compact /> : null}
      <EChart option={option} height={260} label={t('reports.categories')} />
      <ResponsiveTable<CategoryRow>
        rowKey={(r) => r.category_id ?? ''} card={{ title: 'category_name' }}
        size="small"
        columns={columns}
        dataSource={rows ?? []}
        loading={query.isPending}
        pagination={false}
        scroll={{ x: 600 }}
      />
    </Card>
  );
}
