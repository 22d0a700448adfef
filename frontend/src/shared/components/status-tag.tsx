import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  registered: 'default',
  assigned: 'blue',
  returned: 'orange',
  in_progress: 'processing',
  pending_review: 'gold',
  closed: 'green',
  cancelled: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? 'default'}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}

export function FlaggedTag() {
  const { t } = useTranslation();
  return <Tag color="volcano">{t('issues.flagged')}</Tag>;
}

export function OverdueTag() {
  const { t } = useTranslation();
  return <Tag color="red">{t('issues.overdue')}</Tag>;
}
