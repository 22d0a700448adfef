import { useInfiniteQuery } from '@tanstack/react-query';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { IssueLink } from '@/shared/components/issue-link';
import { LoadMore } from '@/shared/components/load-more';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { escalationQueries, type EscalationFilters } from '../api/escalation-queries';
import { AcknowledgeState } from './acknowledge-state';
import { EscalationLevelTag } from './escalation-level-tag';
import { OpenNoticeButton } from './open-notice-button';

interface Props {
  filters: EscalationFilters;
  emptyText: string;
  onOpen: (escalation: EscalationOut) => void;
}

/** One row per notice, newest first, each opened in full by its button. */
export function NoticeTable({ filters, emptyText, onOpen }: Props) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const query = useInfiniteQuery(escalationQueries.list(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: ColumnsType<EscalationOut> = [
    { title: t('escalations.level'), dataIndex: 'level', width: 120, render: (level: number) => <EscalationLevelTag level={level} /> },
    { title: t('escalations.number'), dataIndex: 'number', width: 150, render: (n: string | null) => n ?? '—' },
    { title: t('escalations.issue'), dataIndex: 'issue_id', ellipsis: true, render: (_: string, row) => <IssueLink id={row.issue_id} code={row.issue_code} title={row.issue_title} /> },
    { title: t('escalations.unit'), dataIndex: 'unit_id', width: 160, render: (id: string | null) => unitName(id) },
    { title: t('escalations.deadline'), dataIndex: 'deadline', width: 110, render: (d: string | null) => formatDate(d) },
    { title: t('escalations.firedAt'), dataIndex: 'fired_at', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('escalations.acknowledgedAt'), key: 'acknowledged', width: 150, render: (_: unknown, row) => <AcknowledgeState escalation={row} /> },
    { title: t('issues.actions'), key: 'actions', width: 120, render: (_: unknown, row) => <OpenNoticeButton escalation={row} onOpen={onOpen} /> },
  ];
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <ResponsiveTable<EscalationOut>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={query.isPending}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText }}
        card={{ title: 'issue_id', status: ['level'], actions: 'actions' }}
      />
      <LoadMore query={query} />
    </>
  );
}
