import { useInfiniteQuery } from '@tanstack/react-query';
import { List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IssueOut } from '@/api/generated/openapi';
import { DeadlineLight } from '@/features/deadlines';
import { useUnits } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { LoadMore } from '@/shared/components/load-more';
import { FlaggedTag, StatusTag } from '@/shared/components/status-tag';
import { formatDate } from '@/shared/lib/format';
import { workbenchQueries } from '../api/workbench-queries';
import type { IssueQueueFilter } from '../lib/queues';

interface Props {
  filter: IssueQueueFilter;
  emptyText: string;
  /** the office reads which unit leads each item; a unit knows */
  showUnit: boolean;
}

/** One queue's items, most urgent first: a row each (title, status, light, deadline), wrapping on a phone. */
export function IssueQueueList({ filter, emptyText, showUnit }: Props) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const query = useInfiniteQuery(workbenchQueries.issues(filter));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <List<IssueOut>
        loading={query.isPending}
        dataSource={items}
        locale={{ emptyText }}
        rowKey="id"
        renderItem={(issue) => (
          <List.Item data-testid="queue-item" style={{ paddingInline: 4 }}>
            <div style={{ minWidth: 0, width: '100%' }}>
              <Link to={`/issues/${issue.id}`} style={{ display: 'block', fontSize: 15, fontWeight: 500, overflowWrap: 'anywhere' }}>
                {issue.title}
              </Link>
              <Space size={[8, 4]} wrap style={{ marginTop: 4 }}>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {issue.code}
                </Typography.Text>
                <StatusTag status={issue.status} />
                {issue.flagged ? <FlaggedTag /> : null}
                <DeadlineLight deadline={issue.deadline} status={issue.status} />
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {issue.deadline ? t('workbench.deadline', { date: formatDate(issue.deadline) }) : t('workbench.noDeadline')}
                </Typography.Text>
                {showUnit && issue.lead_unit_id ? (
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {unitName(issue.lead_unit_id)}
                  </Typography.Text>
                ) : null}
              </Space>
            </div>
          </List.Item>
        )}
      />
      <LoadMore query={query} />
    </>
  );
}
