import { useQuery } from '@tanstack/react-query';
import { List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CoUnit, Issue } from '@/api/types';
import { useUnits } from '@/features/directory';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { issueQueries } from '../api/issue-queries';

/** Deadline history (initial, extensions, reassignments). */
export function DeadlineHistory({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  const rows = issue.deadline_history ?? (issue.deadline ? [{ deadline: issue.deadline }] : []);
  return (
    <List
      size="small"
      dataSource={rows}
      locale={{ emptyText: t('common.none') }}
      renderItem={(row) => (
        <List.Item>
          <span>
            <Typography.Text strong>{formatDate(row.deadline)}</Typography.Text>{' '}
            {row.kind ? <Tag>{t(`deadlineKinds.${row.kind}`, { defaultValue: row.kind })}</Tag> : null}
          </span>
          <Typography.Text type="secondary">
            {row.reason ? `${row.reason} ` : ''}
            {row.at ? formatDateTime(row.at) : ''}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}

const CO_COLORS: Record<string, string> = { pending: 'default', accepted: 'blue', filed: 'green', waived: 'default' };

/** Each co-unit's own part: pending, accepted, filed or waived. */
export function CoUnitParts({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const parts = issue.co_units ?? (issue.co_unit_ids ?? []).map((unit_id) => ({ unit_id, status: 'pending' }));
  return (
    <List
      size="small"
      dataSource={parts}
      locale={{ emptyText: t('common.none') }}
      renderItem={(part: CoUnit) => (
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

export function ExtensionRequests({ issue }: { issue: Issue }) {
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
