import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { canAcknowledge } from '../hooks/use-acknowledge';

/**
 * Opens the notice: 阅读并签收 (primary) for the unit's own numbered notice still to sign — the notice is read in
 * full before 签收 — and 查看 for every other.
 */
export function OpenNoticeButton({ escalation, onOpen }: { escalation: EscalationOut; onOpen: (e: EscalationOut) => void }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const signable = canAcknowledge(user, escalation);
  return (
    <Button size="small" type={signable ? 'primary' : 'default'} onClick={() => onOpen(escalation)}>
      {signable ? t('escalations.readAndSign') : t('escalations.view')}
    </Button>
  );
}
