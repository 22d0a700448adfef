import { useInfiniteQuery } from '@tanstack/react-query';
import { Select, Space, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { ESCALATION_LEVELS, type Escalation } from '@/api/types';
import { useAuth } from '@/features/auth';
import { useUnits } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { LoadMore } from '@/shared/components/load-more';
import { IssueLink } from '@/shared/components/issue-link';
import { escalationQueries } from '../api/escalation-queries';
import { useEscalationFilters } from '../hooks/use-escalation-filters';
import { AcknowledgeButton } from './acknowledge-button';
import { AcknowledgeState } from './acknowledge-state';
import { EscalationLevelTag } from './escalation-level-tag';

/** 督办通知: every escalation the user may see (a unit: its own, the API enforces it), 签收 for the unit. */
export function EscalationsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { unitName, options: unitOptions } = useUnits();
  const { filters, unacknowledgedOnly, set } = useEscalationFilters();
  const isUnit = user?.role === 'unit';
  // a unit user asking for another unit gets 403: never send their filter
  const query = useInfiniteQuery(escalationQueries.list(isUnit ? { ...filters, unit_id: undefined } : filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total;

  const columns: ColumnsType<Escalation> = [
    { title: t('escalations.level'), dataIndex: 'level', width: 120, render: (level: number) => <EscalationLevelTag level={level} /> },
    { title: t('escalations.number'), dataIndex: 'number', width: 150, render: (n: string | null) => n ?? '—' },
    { title: t('escalations.issue'), dataIndex: 'issue_id', ellipsis: true, render: (_: string, row: Escalation) => <IssueLink id={row.issue_id} code={row.issue_code} title={row.issue_title} /> },
    { title: t('escalations.unit'), dataIndex: 'unit_id', width: 160, render: (id: string | null) => unitName(id) },
    { title: t('escalations.deadline'), dataIndex: 'deadline', width: 110, render: (d: string | null) => formatDate(d) },
    { title: t('escalations.firedAt'), dataIndex: 'fired_at', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('escalations.acknowledgedAt'),
      key: 'acknowledged',
      width: 150,
      render: (_: unknown, row) => <AcknowledgeState escalation={row} />,
    },
    { title: t('issues.actions'), key: 'actions', width: 90, render: (_: unknown, row) => <AcknowledgeButton escalation={row} /> },
  ];

  return (
    <div>
      <Typography.Title level={3}>{t('escalations.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        {isUnit ? null : (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('escalations.unit')}
            aria-label={t('escalations.unit')}
            style={{ width: 200 }}
            value={filters.unit_id}
            onChange={(v: string | undefined) => set('unit_id', v)}
            options={unitOptions}
          />
        )}
        <Select
          allowClear
          placeholder={t('escalations.level')}
          aria-label={t('escalations.level')}
          style={{ width: 160 }}
          value={filters.level}
          onChange={(v: number | undefined) => set('level', v === undefined ? undefined : String(v))}
          options={ESCALATION_LEVELS.map((level) => ({ value: level, label: t(`escalations.levels.${level}`) }))}
        />
        <Space>
          <span>{t('escalations.unacknowledgedOnly')}</span>
          <Switch
            checked={unacknowledgedOnly}
            onChange={(on) => set('unacknowledged', on ? '1' : undefined)}
            aria-label={t('escalations.unacknowledgedOnly')}
          />
        </Space>
        {total !== undefined ? <Typography.Text type="secondary">{t('common.total', { count: total })}</Typography.Text> : null}
      </Space>
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Table<Escalation>
            rowKey="id"
            columns={columns}
            dataSource={items}
            loading={query.isPending}
            pagination={false}
            scroll={{ x: 1100 }}
            locale={{ emptyText: t('escalations.empty') }}
          />
          <LoadMore query={query} />
        </>
      )}
    </div>
  );
}
