import { List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Issue } from '@/api/types';
import { useUnits } from '@/features/directory';
import { formatDate, formatDateTime } from '@/shared/lib/format';

/** Deadline history (first deadline and approved extensions). */
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
          <Typography.Text strong>{formatDate(row.deadline)}</Typography.Text>
          <Typography.Text type="secondary">
            {row.reason ? `${t('issues.deadlineReason')}: ${row.reason}` : ''} {formatDateTime(row.set_at)}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}

/** Each co-unit's own part: accepted, contribution, waived. */
export function CoUnitParts({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  const { unitName } = useUnits();
  const parts = issue.co_unit_parts ?? (issue.co_unit_ids ?? []).map((unit_id) => ({ unit_id }));
  return (
    <List
      size="small"
      dataSource={parts}
      locale={{ emptyText: t('common.none') }}
      renderItem={(part) => {
        const full = part as NonNullable<Issue['co_unit_parts']>[number];
        const state = full.waived ? 'coWaived' : full.accepted_at ? 'coAccepted' : 'coNotAccepted';
        return (
          <List.Item>
            <List.Item.Meta
              title={
                <span>
                  {full.unit_name ?? unitName(full.unit_id)}{' '}
                  <Tag color={state === 'coAccepted' ? 'green' : 'default'}>{t(`issues.${state}`)}</Tag>
                </span>
              }
              description={full.contribution ? `${t('issues.contribution')}: ${full.contribution}` : null}
            />
          </List.Item>
        );
      }}
    />
  );
}

export function ExtensionRequests({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  const rows = issue.extension_requests ?? [];
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
