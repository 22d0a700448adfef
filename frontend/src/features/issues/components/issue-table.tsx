import { Progress, Space, Typography } from 'antd';
import type { TablePaginationConfig } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Key } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IssueOut, ResponsibleOut } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { DeadlineLight } from '@/features/deadlines';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { FlaggedTag, StatusTag } from '@/shared/components/status-tag';
import { formatDate } from '@/shared/lib/format';

interface Props {
  items: IssueOut[];
  loading: boolean;
  pagination?: TablePaginationConfig | false;
  /** rows the office has ticked for a batch step; absent: no tick boxes */
  selection?: { keys: Key[]; onChange: (keys: Key[]) => void } | undefined;
}

/**
 * The ledger's rows: a table on a desktop, a card per item on a phone; the deadline with its traffic light, and each
 * unit's responsible person (lead first; on a phone a wrapping field of the card, never a column to scroll to).
 */
export function IssueTable({ items, loading, pagination = false, selection }: Props) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const columns: ColumnsType<IssueOut> = [
    { title: t('issues.code'), dataIndex: 'code', width: 140, render: (code: string, row) => <Link to={`/issues/${row.id}`}>{code || row.id}</Link> },
    { title: t('issues.titleField'), dataIndex: 'title', render: (title: string, row) => <Link to={`/issues/${row.id}`}>{title}</Link> },
    {
      title: t('issues.status'),
      dataIndex: 'status',
      width: 130,
      render: (status: string, row) => (
        <Space size={4} wrap>
          <StatusTag status={status} />
          {row.flagged ? <FlaggedTag /> : null}
        </Space>
      ),
    },
    {
      title: t('ledger.daysLeft'),
      key: 'light',
      width: 150,
      render: (_: unknown, row) => <DeadlineLight deadline={row.deadline} status={row.status} />,
    },
    { title: t('issues.deadline'), dataIndex: 'deadline', width: 115, render: (d: string | null) => formatDate(d) },
    { title: t('issues.leadUnit'), dataIndex: 'lead_unit_id', width: 180, render: (id: string | null) => unitName(id) },
    {
      title: t('issues.responsible'),
      dataIndex: 'responsible',
      width: 120,
      render: (people: ResponsibleOut[] | undefined) =>
        people?.length ? (
          <span title={people.map((p) => `${unitName(p.unit_id)}：${p.display_name}`).join('；')}>
            {people.map((p) => p.display_name).join('、')}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('people.notNamed')}</Typography.Text>
        ),
    },
    { title: t('issues.source'), dataIndex: 'source', width: 100, render: (s: string) => t(`source.${s}`, { defaultValue: s }) },
    {
      title: t('issues.progress'),
      dataIndex: 'progress_percent',
      width: 120,
      render: (p: number | undefined) => <Progress percent={p ?? 0} size="small" />,
    },
  ];
  return (
    <ResponsiveTable<IssueOut>
      rowKey="id"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={pagination}
      size="middle"
      scroll={{ x: 1220 }}
      locale={{ emptyText: t('issues.empty') }}
      card={{ title: 'title', status: ['status', 'light'], hide: ['progress_percent'] }}
      {...(selection
        ? { rowSelection: { selectedRowKeys: selection.keys, onChange: (keys: Key[]) => selection.onChange(keys), preserveSelectedRowKeys: true } }
        : {})}
    />
  );
}
