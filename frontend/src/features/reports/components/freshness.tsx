import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReportFreshness } from '@/api/types';

/** How fresh a report is: the last feed event applied, and how many are still to come. */
export function Freshness({ value, compact = false }: { value: ReportFreshness; compact?: boolean }) {
  const { t } = useTranslation();
  const lag = value.lag_events;
  return (
    <Alert
      type={lag > 0 ? 'warning' : 'success'}
      showIcon
      banner={compact}
      message={lag > 0 ? t('reports.freshness', { seq: value.as_of_seq, lag }) : t('reports.upToDate', { seq: value.as_of_seq })}
      style={{ marginBottom: compact ? 8 : 16 }}
    />
  );
}
