import { useQuery } from '@tanstack/react-query';
import { Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Actor, TimelineEntry } from '@/api/types';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { issueQueries } from '../api/issue-queries';

function actorName(actor: Actor | null | undefined): string {
  if (!actor) return '';
  if (typeof actor === 'string') return actor;
  return actor.display_name ?? actor.username ?? actor.id ?? '';
}

const TEXT_KEYS = ['content', 'reason', 'summary', 'comment', 'requirements'] as const;

function textOf(data: Record<string, unknown>): string {
  for (const key of TEXT_KEYS) {
    const value = data[key];
    if (typeof value === 'string' && value) return value;
  }
  return '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The human text of an event: its own reason/content, or that of its progress or extension (docs/events.md). */
export function entryText(entry: TimelineEntry): string {
  const data = entry.data ?? {};
  const own = textOf(data);
  if (own) return own;
  const { progress, extension, attachment } = data;
  if (isRecord(progress)) {
    const percent = typeof progress.percent === 'number' ? ` (${progress.percent}%)` : '';
    return textOf(progress) + percent;
  }
  if (isRecord(extension)) {
    const to = typeof extension.new_deadline === 'string' ? `→ ${extension.new_deadline} ` : '';
    return to + textOf(extension);
  }
  if (isRecord(attachment) && typeof attachment.filename === 'string') return attachment.filename;
  return '';
}

export function IssueTimeline({ issueId }: { issueId: string }) {
  const { t } = useTranslation();
  const query = useQuery(issueQueries.timeline(issueId));
  if (query.isError) return <ErrorResult error={query.error} compact onRetry={() => void query.refetch()} />;
  const items = query.data ?? [];
  if (!query.isPending && items.length === 0) return <Empty description={t('issues.timelineEmpty')} />;
  return (
    <Timeline
      items={items.map((entry, index) => {
        const verb = entry.type.split('.').pop() ?? entry.type;
        const text = entryText(entry);
        return {
          key: entry.seq ?? entry.id ?? index,
          children: (
            <div>
              <Typography.Text strong>{t(`events.${verb}`, { defaultValue: entry.type })}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {formatDateTime(entry.occurred_at)} {actorName(entry.actor)}
              </Typography.Text>
              {text ? <div>{text}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}
