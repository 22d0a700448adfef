import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Escalation } from '@/api/types';
import { useAuth } from '@/features/auth';
import { canAcknowledge, useAcknowledge } from '../hooks/use-acknowledge';

/** 签收 with a confirmation, only for the unit's own numbered notice still to sign. */
export function AcknowledgeButton({ escalation }: { escalation: Escalation }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const acknowledge = useAcknowledge();
  if (!canAcknowledge(user, escalation)) return null;
  return (
    <Popconfirm
      title={t('escalations.confirmTitle')}
      description={t('escalations.confirmText', { number: escalation.number ?? '' })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onConfirm={() => acknowledge.mutate(escalation.id)}
    >
      <Button size="small" type="primary" loading={acknowledge.isPending}>
        {t('escalations.acknowledge')}
      </Button>
    </Popconfirm>
  );
}
