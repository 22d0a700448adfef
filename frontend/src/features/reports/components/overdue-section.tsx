import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { OverdueItem } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { StatusTag } from '@/shared/components/status-tag';
import { formatDate } from '@/shared/lib/format';
import { IssueLink } from '@/shared/components/issue-link';
import { reportQueries, type ReportFilters } from '../api/report-queries';
import { Freshness } from './freshness';
import { ResponsiveTable } from '@/shared/components/responsive-table';

/** 超期清单: open issues past their deadline, most overdue first, in pages of the API's cursor. */
export function OverdueSection({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(reportQueries.overdue(filters));
  const pages = query.data?.pages ?? [];
  const first = pages[0];
  const rows = pages.flatMap((p) => p.items);
  const columns: ColumnsType<OverdueItem> = [
    {
      title: t('reports.issue'),
      dataIndex: 'title',
      render: (title: string, row) => <IssueLink id={row.id} code={row.code} title={title} />,
    },
    { title: t('reports.leadUnit'), dataIndex: 'lead_unit_name' },
    { title: t('reports.deadline'), dataIndex: 'deadline', render: formatDate, width: 110 },
    {
      title: t('reports.daysOverdue'),
      dataIndex: 'days_overdue',
      width: 120,
      render: (days: number) => <Typography.Text type="danger">{t('reports.workingDays', { count: days })}</Typography.Text>,
    },
    { title: t('reports.status'), dataIndex: 'status', width: 100, render: (_: string, row) => <StatusTag status={row.status} /> },
    {
      title: t('reports.escalationLevel'),
      dataIndex: 'max_escalation_level',
      width: 110,
      render: (level: number | null) => (level === null ? '—' : <Tag>{t(`notifications.levels.${level}`, { defaultValue: String(level) })}</Tag>),
    },
  ];
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Card title={t('reports.overdueList')} size="small">
      {first ? <Freshness value={first} compact /> : null}
      <ResponsiveTable<OverdueItem> rowKey="id" card={{ title: 'title', status: ['status'] }} size="small" columns={columns} dataSource={rows} loading={query.isPending} pagination={false} scroll={{ x: 760 }} />
      <Space style={{ marginTop: 12 }}>
        {first ? <Typography.Text type="secondary">{t('common.total', { count: first.total })}</Typography.Text> : null}
        {query.hasNextPage ? (
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        ) : null}
      </Space>
    </Card>
  );
}
