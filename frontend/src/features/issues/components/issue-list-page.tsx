import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '@/features/auth';
import { ErrorResult } from '@/shared/components/error-result';
import { issueQueries } from '../api/issue-queries';
import { useIssueFilters } from '../hooks/use-issue-filters';
import { IssueFilterBar } from './issue-filter-bar';
import { IssueTable } from './issue-table';

export function IssueListPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [filters, setFilters] = useIssueFilters();
  const query = useInfiniteQuery(issueQueries.list(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total;
  const canCreate = user?.role === 'office' || user?.role === 'admin';

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center">
        <Typography.Title level={3}>{t('issues.title')}</Typography.Title>
        {canCreate ? (
          <Link to="/issues/new">
            <Button type="primary">{t('issues.new')}</Button>
          </Link>
        ) : null}
      </Space>
      <IssueFilterBar value={filters} onChange={setFilters} />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="issue-total">
            {t('common.total', { count: total ?? items.length })}
          </Typography.Paragraph>
          <IssueTable items={items} loading={query.isPending} />
          <div style={{ textAlign: 'center', margin: 16 }}>
            {query.hasNextPage ? (
              <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            ) : items.length > 0 ? (
              <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
