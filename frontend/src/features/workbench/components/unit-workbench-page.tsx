import { Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '@/features/auth';
import { useWorkCalendar } from '@/features/deadlines';
import { useUnits } from '@/features/directory';
import { DUE_SOON_WORKING_DAYS, lastDayWithin } from '@/shared/lib/deadline-light';
import { todayInShanghai } from '@/shared/lib/overdue';
import { unitQueues } from '../lib/queues';
import { QueueBoard } from './queue-board';

/** 工作台 of a unit's staff: what waits for them, most urgent first. */
export function UnitWorkbenchPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { unitName } = useUnits();
  const today = todayInShanghai();
  const year = Number(today.slice(0, 4));
  // the 临期 window may run into January: next year's holidays count then
  const { calendar, ready } = useWorkCalendar([year, year + 1]);
  const queues = useMemo(
    () => unitQueues({ today, dueSoonUntil: lastDayWithin(today, DUE_SOON_WORKING_DAYS, calendar) }),
    [today, calendar],
  );
  return (
    <div>
      <Typography.Title level={3} style={{ marginBottom: 4 }}>
        {t('workbench.unitTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {user?.unit_id ? t('workbench.unitGreeting', { name: user.display_name, unit: unitName(user.unit_id) }) : user?.display_name}
      </Typography.Paragraph>
      <QueueBoard queues={queues} ready={ready} showUnit={false} />
    </div>
  );
}
