import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { formatDateTime } from '@/shared/lib/format';
import { NUMBERED_LEVELS } from '@/shared/lib/escalation-levels';

/** When the unit signed, 未签收 (highlighted) for a numbered notice still open, else nothing to sign. */
export function AcknowledgeState({ escalation }: { escalation: EscalationOut }) {
  const { t } = useTranslation();
  if (escalation.acknowledged_at) return <span>{formatDateTime(escalation.acknowledged_at)}</span>;
  if (NUMBERED_LEVELS.includes(escalation.level)) return <Tag color="red">{t('escalations.unacknowledged')}</Tag>;
  return <Typography.Text type="secondary">{t('escalations.noAcknowledgement')}</Typography.Text>;
}
