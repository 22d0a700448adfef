import { Progress, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Issue } from '@/api/types';
import { useUnits } from '@/features/directory';
import { FlaggedTag, OverdueTag, StatusTag } from '@/shared/components/status-tag';
import { formatDate } from '@/shared/lib/format';
import { isOverdue } from '@/shared/lib/overdue';

export function IssueTable({ items, loading }: { items: Issue[]; loading: boolean }) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const columns: ColumnsType<Issue> = [
    { title: t('issues.code'), dataIndex: 'code', width: 140, render: (code: string, row) => <Link to={`/issues/${row.id}`}>{code || row.id}</Link> },
    { title: t('issues.titleField'), dataIndex: 'title', render: (title: string, row) => <Link to={`/issues/${row.id}`}>{title}</Link> },
    {
      title: t('issues.status'),
      dataIndex: 'status',
      width: 150,
      render: (status: string, row) => (
        <Space size={4}>
          <StatusTag status={status} />
          {isOverdue(row) ? <OverdueTag /> : null}
          {row.flagged ? <FlaggedTag /> : null}
        </Space>
      ),
    },
    { title: t('issues.leadUnit'), dataIndex: 'lead_unit_id', width: 180, render: (id: string | null) => unitName(id) },
    { title: t('issues.source'), dataIndex: 'source', width: 110, render: (s: string) => t(`source.${s}`, { defaultValue: s }) },
    { title: t('issues.deadline'), dataIndex: 'deadline', width: 120, render: (d: string | null) => formatDate(d) },
    {
      title: t('issues.progress'),
      dataIndex: 'progress_percent',
      width: 120,
      render: (p: number | undefined) => <Progress percent={p ?? 0} size="small" />,
    },
  ];
  return (
    <Table<Issue>
      rowKey="id"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      size="middle"
      scroll={{ x: 900 }}
      locale={{ emptyText: t('issues.empty') }}
    />
  );
}
