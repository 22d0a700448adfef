import { useQuery } from '@tanstack/react-query';
import { Empty, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { IssueTimelineEntry, TimelineActor } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { issueQueries } from '../api/issue-queries';

/**
 * Who took a step, as people know them: display name and unit ("张三（高新技术处）"), a unit for a step taken in
 * its name, the public or the role; never a username or an account code.
 */
export function actorLabel(actor: TimelineActor, t: TFunction): string {
  const who = actor.display_name ?? (actor.kind === 'public' ? t('issues.actorPublic') : null);
  if (who) return actor.unit_name && actor.unit_name !== who ? t('issues.actorInUnit', { who, unit: actor.unit_name }) : who;
  if (actor.unit_name) return actor.unit_name;
  if (actor.role) return t(`roles.${actor.role}`, { defaultValue: t('issues.actorSystem') });
  return t('issues.actorSystem');
}

const TEXT_KEYS = ['content', 'reason', 'summary', 'comment', 'note', 'requirements'] as const;

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
export function entryText(entry: IssueTimelineEntry): string {
  const data = entry.data;
  const own = textOf(data);
  if (own) return own;
  const { progress, extension, attachment, responsible, subtask } = data;
  // 责任落实到人: the person named, or the sub-task with its assignee and progress
  if (isRecord(responsible) && typeof responsible.display_name === 'string') return responsible.display_name;
  if (isRecord(subtask)) {
    const parts = [subtask.title, subtask.assignee_name].filter((v): v is string => typeof v === 'string' && v !== '');
    if (typeof subtask.percent === 'number') parts.push(`${subtask.percent}%`);
    return parts.join(' · ');
  }
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
      items={items.map((entry) => {
        const verb = entry.type.split('.').pop() ?? entry.type;
        const text = entryText(entry);
        return {
          key: entry.seq,
          children: (
            <div>
              <Typography.Text strong>{t(`events.${verb}`, { defaultValue: entry.type })}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {formatDateTime(entry.occurred_at)} {actorLabel(entry.actor, t)}
              </Typography.Text>
              {text ? <div>{text}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}
