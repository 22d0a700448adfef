import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EscalationOut, MeOut } from '@/api/generated/openapi';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { acknowledgeEscalation, escalationQueries } from '../api/escalation-queries';
import { NUMBERED_LEVELS } from '@/shared/lib/escalation-levels';

/** A numbered notice still to sign, seen by a user of the unit it was sent to (the API refuses anyone else). */
export function canAcknowledge(user: MeOut | undefined, escalation: EscalationOut): boolean {
  return (
    user?.role === 'unit' &&
    user.unit_id !== null &&
    user.unit_id === escalation.unit_id &&
    NUMBERED_LEVELS.includes(escalation.level) &&
    escalation.acknowledged_at === null
  );
}

/** POST …/acknowledge; problems (403/404/409) as a toast; every escalation list and the badge reload. */
export function useAcknowledge() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acknowledgeEscalation,
    onSuccess: () => void message.success(t('escalations.acknowledged')),
    onError: useErrorNotice(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: escalationQueries.all() }),
  });
}
