import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnitRow } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatRate } from '@/shared/lib/format';
import { reportQueries, type ReportFilters } from '../api/report-queries';
import { periodLabel } from './cockpit-charts';
import { EChart, type ChartOption } from './echart';
import { Freshness } from './freshness';
import { ResponsiveTable } from '@/shared/components/responsive-table';

export function SummaryCards({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useQuery(reportQueries.summary(filters));
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const s = query.data;
  const counts = [
    ['reports.total', s?.total],
    ['reports.open', s?.open],
    ['reports.closed', s?.closed],
    ['reports.overdue', s?.overdue],
    ['reports.cancelled', s?.cancelled],
    // The satisfaction loop (回访): rated 1-2 or not satisfied, and the submitters' appeals against an answer.
    ['reports.dissatisfied', s?.dissatisfied],
    ['reports.appeals', s?.appeals],
  ] as const;
  const rates = [
    ['reports.closureRate', s?.closure_rate],
    ['reports.onTimeRate', s?.on_time_rate],
    ['reports.onTimeRateOriginal', s?.on_time_rate_original],
    ['reports.satisfactionRate', s?.satisfaction_rate],
  ] as const;
  return (
    <div>
      {s ? <Freshness value={s} /> : null}
      <Row gutter={[12, 12]}>
        {counts.map(([key, value]) => (
          <Col key={key} xs={12} sm={8} md={6} lg={4}>
            <Card size="small" loading={query.isPending}>
              <Statistic title={t(key)} value={value ?? '—'} valueStyle={key === 'reports.overdue' && (value ?? 0) > 0 ? { color: '#cf1322' } : undefined} />
            </Card>
          </Col>
        ))}
        {rates.map(([key, value]) => (
          <Col key={key} xs={12} sm={8} md={6} lg={5}>
            <Card size="small" loading={query.isPending}>
              <Statistic title={t(key)} value={formatRate(value)} />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}

export function UnitRanking({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useQuery(reportQueries.units(filters));
  const red = new Set(query.data?.red_list ?? []);
  const black = new Set(query.data?.black_list ?? []);
  const columns: ColumnsType<UnitRow> = [
    { title: '#', dataIndex: 'rank', width: 50 },
    {
      title: t('reports.unit'),
      dataIndex: 'unit_name',
      render: (name: string, row) => (
        <>
          {name}{' '}
          {red.has(row.unit_id) ? <Tag color="red">{t('reports.redList')}</Tag> : null}
          {black.has(row.unit_id) ? <Tag color="black">{t('reports.blackList')}</Tag> : null}
        </>
      ),
    },
    { title: t('reports.total'), dataIndex: 'total', sorter: (a, b) => a.total - b.total },
    { title: t('reports.closed'), dataIndex: 'closed', sorter: (a, b) => a.closed - b.closed },
    { title: t('reports.closureRate'), dataIndex: 'closure_rate', render: formatRate, sorter: (a, b) => (a.closure_rate ?? 0) - (b.closure_rate ?? 0) },
    { title: t('reports.onTimeRate'), dataIndex: 'on_time_rate', render: formatRate, sorter: (a, b) => (a.on_time_rate ?? 0) - (b.on_time_rate ?? 0) },
    { title: t('reports.overdue'), dataIndex: 'overdue', sorter: (a, b) => a.overdue - b.overdue },
  ];
  return (
    <Card title={t('reports.units')} size="small">
      {query.isError ? (
        <ErrorResult error={query.error} compact onRetry={() => void query.refetch()} />
      ) : (
        <>
          {query.data ? <Freshness value={query.data} compact /> : null}
          <ResponsiveTable<UnitRow> rowKey="unit_id" card={{ title: 'unit_name', hide: ['rank'] }} size="small" columns={columns} dataSource={query.data?.items ?? []} loading={query.isPending} pagination={false} scroll={{ x: 600 }} />
        </>
      )}
    </Card>
  );
}

export function TrendChart({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useQuery(reportQueries.trend(filters));
  const points = query.data?.items;
  const option = useMemo<ChartOption>(() => {
    const rows = points ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('reports.newCount'), t('reports.closedCount'), t('reports.openAtEnd')] },
      grid: { left: 40, right: 20, bottom: 30, top: 40 },
      xAxis: { type: 'category', data: rows.map((p) => periodLabel(p.period, t)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('reports.newCount'), type: 'bar', data: rows.map((p) => p.new) },
        { name: t('reports.closedCount'), type: 'bar', data: rows.map((p) => p.closed) },
        { name: t('reports.openAtEnd'), type: 'line', data: rows.map((p) => p.open_at_end) },
      ],
    };
  }, [points, t]);
  return (
    <Card title={t('reports.trend')} size="small">
      {query.isError ? (
        <ErrorResult error={query.error} compact onRetry={() => void query.refetch()} />
      ) : (
        <>
          {query.data ? <Freshness value={query.data} compact /> : null}
          <EChart option={option} label={t('reports.trend')} />
        </>
      )}
    </Card>
  );
}
