import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IssueFilters } from '../lib/ledger-query';
import type { SHORTCUT_KEYS } from '../hooks/use-issue-filters';

interface Props {
  value: IssueFilters;
  onChange: (next: IssueFilters) => void;
}

/**
 * The filters a workbench tab or a cockpit card opened the ledger with (未办结, 整改时限 from–to, 延期待审批,
 * 返工), which the filter bar has no control for: each a tag, closed to drop it.
 */
export function IssueShortcutFilters({ value, onChange }: Props) {
  const { t } = useTranslation();
  const tags: { keys: (typeof SHORTCUT_KEYS)[number][]; label: string }[] = [];
  if (value.open === 'true') tags.push({ keys: ['open'], label: t('issues.shortcut.open') });
  if (value.open === 'false') tags.push({ keys: ['open'], label: t('issues.shortcut.finished') });
  if (value.deadline_from || value.deadline_to) {
    tags.push({
      keys: ['deadline_from', 'deadline_to'],
      label: t('issues.shortcut.deadline', { from: value.deadline_from ?? '…', to: value.deadline_to ?? '…' }),
    });
  }
  if (value.extension_pending === 'true') tags.push({ keys: ['extension_pending'], label: t('issues.shortcut.extensionPending') });
  if (value.rework === 'true') tags.push({ keys: ['rework'], label: t('issues.shortcut.rework') });
  if (value.to_accept === 'true') tags.push({ keys: ['to_accept'], label: t('issues.shortcut.toAccept') });
  if (value.mine === 'true') tags.push({ keys: ['mine'], label: t('issues.shortcut.mine') });
  if (tags.length === 0) return null;
  return (
    <Space wrap size={[4, 8]} style={{ marginBottom: 12 }} data-testid="shortcut-filters">
      {tags.map((tag) => (
        <Tag
          key={tag.label}
          color="blue"
          closable
          onClose={() => {
            onChange(Object.fromEntries(Object.entries(value).filter(([key]) => !(tag.keys as string[]).includes(key))));
          }}
        >
          {tag.label}
        </Tag>
      ))}
    </Space>
  );
}
