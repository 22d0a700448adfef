import { useQuery } from '@tanstack/react-query';
import { Card, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { AccountabilityItem, AccountabilityUnit } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { StatusTag } from '@/shared/components/status-tag';
import { formatDate } from '@/shared/lib/format';
import { IssueLink } from '@/shared/components/issue-link';
import { reportQueries, type ReportFilters } from '../api/report-queries';
import { Freshness } from './freshness';
import { ResponsiveTable } from '@/shared/components/responsive-table';

const REASON_COLORS: Record<string, string> = { red_card: 'red', repeated_returns: 'orange', repeated_rejections: 'volcano' };

function UnitTable({ rows, loading }: { rows: AccountabilityUnit[]; loading: boolean }) {
  const { t } = useTranslation();
  const columns: ColumnsType<AccountabilityUnit> = [
    { title: t('reports.unit'), dataIndex: 'unit_name' },
    { title: t('reports.accountabilityIssues'), dataIndex: 'issues', sorter: (a, b) => a.issues - b.issues },
    { title: t('reports.redCards'), dataIndex: 'red_cards', sorter: (a, b) => a.red_cards - b.red_cards },
    { title: t('reports.repeatedReturns'), dataIndex: 'repeated_returns' },
    { title: t('reports.repeatedRejections'), dataIndex: 'repeated_rejections' },
  ];
  return (
    <Card title={t('reports.accountabilityUnits')} size="small">
      <ResponsiveTable<AccountabilityUnit> rowKey="unit_id" card={{ title: 'unit_name' }} size="small" columns={columns} dataSource={rows} loading={loading} pagination={false} scroll={{ x: 600 }} />
    </Card>
  );
}

function ItemTable({ rows, total, loading }: { rows: AccountabilityItem[]; total: number; loading: boolean }) {
  const { t } = useTranslation();
  const columns: ColumnsType<AccountabilityItem> = [
    {
      title: t('reports.issue'),
      dataIndex: 'title',
      render: (title: string, row) => <IssueLink id={row.id} code={row.code} title={title} />,
    },
    { title: t('reports.leadUnit'), dataIndex: 'lead_unit_name' },
    { title: t('reports.deadline'), dataIndex: 'deadline', render: formatDate, width: 110 },
    { title: t('reports.status'), dataIndex: 'status', width: 100, render: (_: string, row) => <StatusTag status={row.status} /> },
    { title: t('reports.returnCount'), dataIndex: 'return_count', width: 80 },
    { title: t('reports.rejectCount'), dataIndex: 'reject_count', width: 80 },
    {
      title: t('reports.reasons'),
      dataIndex: 'reasons',
      render: (_: string[], row) =>
        row.reasons.map((r) => (
          <Tag key={r} color={REASON_COLORS[r] ?? 'default'}>
            {t(`reports.reason.${r}`, { defaultValue: r })}
          </Tag>
        )),
    },
  ];
  return (
    <Card title={`${t('reports.accountabilityItems')} · ${t('common.total', { count: total })}`} size="small">
      <ResponsiveTable<AccountabilityItem> rowKey="id" card={{ title: 'title', status: ['status'] }} size="small" columns={columns} dataSource={rows} loading={loading} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 760 }} />
    </Card>
  );
}

/** 问责清单: units and issues at the red-card step or beyond, or returned/rejected again and again. */
export function AccountabilitySection({ filters }: { filters: ReportFilters }) {
  const query = useQuery(reportQueries.accountability(filters));
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {data ? <Freshness value={data} compact /> : null}
      <UnitTable rows={data?.units ?? []} loading={query.isPending} />
      <ItemTable rows={data?.items ?? []} total={data?.total ?? 0} loading={query.isPending} />
    </Space>
  );
}
