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

function entryText(entry: TimelineEntry): string {
  const data = entry.data ?? {};
  for (const key of TEXT_KEYS) {
    const value = data[key];
    if (typeof value === 'string' && value) return value;
  }
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
