import { useQuery } from '@tanstack/react-query';
import { List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CoUnitOut, IssueOut } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { issueQueries } from '../api/issue-queries';

/** Deadline history (initial, extensions, reassignments). */
export function DeadlineHistory({ issue }: { issue: IssueOut }) {
  const { t } = useTranslation();
  const rows = issue.deadline_history;
  return (
    <List
      size="small"
      dataSource={rows}
      locale={{ emptyText: t('common.none') }}
      renderItem={(row) => (
        <List.Item>
          <span>
            <Typography.Text strong>{formatDate(row.deadline)}</Typography.Text>{' '}
            <Tag>{t(`deadlineKinds.${row.kind}`, { defaultValue: row.kind })}</Tag>
          </span>
          <Typography.Text type="secondary">{formatDateTime(row.at)}</Typography.Text>
        </List.Item>
      )}
    />
  );
}

const CO_COLORS: Record<string, string> = { pending: 'default', accepted: 'blue', filed: 'green', waived: 'default' };

/** Each co-unit's own part: pending, accepted, filed or waived. */
export function CoUnitParts({ issue }: { issue: IssueOut }) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const parts = issue.co_units;
  return (
    <List
      size="small"
      dataSource={parts}
      locale={{ emptyText: t('common.none') }}
      renderItem={(part: CoUnitOut) => (
        <List.Item>
          <span>
            {unitName(part.unit_id)}{' '}
            <Tag color={CO_COLORS[part.status] ?? 'default'}>{t(`coStatus.${part.status}`, { defaultValue: part.status })}</Tag>
          </span>
        </List.Item>
      )}
    />
  );
}

export function ExtensionRequests({ issue }: { issue: IssueOut }) {
  const { t } = useTranslation();
  const query = useQuery(issueQueries.extensions(issue.id));
  const rows = query.data ?? [];
  if (rows.length === 0) return null;
  return (
    <List
      size="small"
      dataSource={rows}
      renderItem={(r) => (
        <List.Item>
          <span>
            {formatDate(r.new_deadline)} — {r.reason}
          </span>
          <Tag>{t(`extension.${r.status}`, { defaultValue: r.status })}</Tag>
        </List.Item>
      )}
    />
  );
}
