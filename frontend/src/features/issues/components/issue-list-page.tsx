import { useQuery } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { useRef, useState, type Key } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IssueOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { SelfInspectionBatchButton, SelfInspectionButton } from '@/features/self-inspection';
import { ErrorResult } from '@/shared/components/error-result';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { issueQueries } from '../api/issue-queries';
import { exportLedger } from '../api/ledger-api';
import { useIssueFilters, useLedgerPage } from '../hooks/use-issue-filters';
import { PAGE_SIZES } from '../lib/ledger-query';
import { IssueFilterBar } from './issue-filter-bar';
import { IssueShortcutFilters } from './issue-shortcut-filters';
import { IssueTable } from './issue-table';
import { LedgerBatchBar } from './ledger-batch';
import { SavedViews } from './saved-views';

const OFFICE = new Set(['office', 'admin']);

export function IssueListPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const notifyError = useErrorNotice();
  const [filters, setFilters] = useIssueFilters();
  const { page, size, setPage } = useLedgerPage();
  const query = useQuery(issueQueries.page(filters, page, size));
  const items = query.data?.items ?? [];
  const total = query.data?.total ?? 0;
  const office = OFFICE.has(user?.role ?? '');
  const [exporting, setExporting] = useState(false);
  // ticked rows, kept across pages: the rows themselves, for the batch dialog's codes and titles
  const [selected, setSelected] = useState<Key[]>([]);
  const seen = useRef(new Map<string, IssueOut>());
  for (const item of items) seen.current.set(item.id, item);
  const selectedRows = selected.flatMap((k) => seen.current.get(String(k)) ?? []);

  const download = async () => {
    setExporting(true);
    try {
      await exportLedger(filters);
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center" wrap>
        <Typography.Title level={3}>{t('issues.title')}</Typography.Title>
        <Space wrap>
          <Button onClick={() => void download()} loading={exporting} disabled={total === 0}>
            {t('ledger.export')}
          </Button>
          {user?.role === 'unit' ? <SelfInspectionBatchButton /> : null}
          {user?.role === 'unit' ? <SelfInspectionButton /> : null}
          {office ? (
            <Link to="/issues/import">
              <Button data-testid="ledger-import">{t('imports.open')}</Button>
            </Link>
          ) : null}
          {office ? (
            <Link to="/issues/new">
              <Button type="primary">{t('issues.new')}</Button>
            </Link>
          ) : null}
        </Space>
      </Space>
      <SavedViews value={filters} onChange={setFilters} />
      <IssueFilterBar value={filters} onChange={setFilters} />
      <IssueShortcutFilters value={filters} onChange={setFilters} />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="issue-total">
            {t('common.total', { count: total })}
          </Typography.Paragraph>
          {office ? <LedgerBatchBar selected={selectedRows} onClear={() => setSelected([])} /> : null}
          <IssueTable
            items={items}
            loading={query.isPending || query.isPlaceholderData}
            selection={office ? { keys: selected, onChange: setSelected } : undefined}
            pagination={{
              current: page,
              pageSize: size,
              total,
              showSizeChanger: true,
              showQuickJumper: true,
              pageSizeOptions: PAGE_SIZES.map(String),
              showTotal: (count) => t('common.total', { count }),
              onChange: (next, nextSize) => setPage(next, nextSize),
            }}
          />
        </>
      )}
    </div>
  );
}
