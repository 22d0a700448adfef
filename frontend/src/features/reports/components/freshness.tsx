import { Alert } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Summary } from '@/api/generated/openapi';
import { timeAgo, useNow } from '@/shared/lib/relative-time';

type FreshnessValue = Pick<Summary, 'as_of_seq' | 'lag_events' | 'checked_at'>;

/**
 * How fresh a report is, as a time people read ("数据更新于 10:32，3秒前"): when the feeds were last asked
 * (`checked_at`), how many changes were still to come then, or that this is unknown. Never the event number.
 */
export function freshnessText(value: FreshnessValue, now: Date, t: TFunction, language: string): string {
  if (!value.checked_at) return t(value.lag_events === null ? 'reports.freshnessUnknown' : 'reports.notYetRead');
  const at = dayjs(value.checked_at);
  const time = at.isSame(dayjs(now), 'day') ? at.format('HH:mm') : at.format('YYYY-MM-DD HH:mm');
  const ago = timeAgo(at.toDate(), now, language);
  if (value.lag_events === null) return t('reports.updatedAtUnknown', { time, ago });
  if (value.lag_events > 0) return t('reports.updatedAtLag', { time, ago, lag: value.lag_events });
  return t('reports.updatedAt', { time, ago });
}

export function Freshness({ value, compact = false }: { value: FreshnessValue; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  return (
    <Alert
      type={value.lag_events === 0 && value.checked_at ? 'success' : 'warning'}
      showIcon
      banner={compact}
      message={<span data-testid="freshness">{freshnessText(value, now, t, i18n.language)}</span>}
      style={{ marginBottom: compact ? 8 : 16 }}
    />
  );
}
