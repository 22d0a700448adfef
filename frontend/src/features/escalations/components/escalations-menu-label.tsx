import { useQuery } from '@tanstack/react-query';
import { Badge, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '@/features/auth';
import { escalationQueries } from '../api/escalation-queries';

function UnacknowledgedBadge({ unitId }: { unitId: string }) {
  const { t } = useTranslation();
  const count = useQuery(escalationQueries.unacknowledgedCount(unitId));
  const n = count.data ?? 0;
  if (n === 0) return null;
  return <Badge count={n} size="small" overflowCount={99} title={t('escalations.badgeTitle', { count: n })} />;
}

/** The menu's 督办通知 entry; a unit user sees how many of their notices still wait for 签收. */
export function EscalationsMenuLabel() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const unitId = user?.role === 'unit' ? user.unit_id : null;
  return (
    <Space size={4}>
      {t('nav.escalations')}
      {unitId ? <UnacknowledgedBadge unitId={unitId} /> : null}
    </Space>
  );
}
