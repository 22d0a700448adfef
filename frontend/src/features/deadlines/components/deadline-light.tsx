import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeadlineLight as Light } from '@/shared/lib/deadline-light';
import { useDeadlineLight } from '../hooks/use-work-calendar';

const OPEN = new Set(['registered', 'assigned', 'returned', 'in_progress', 'pending_review']);
const COLORS = { green: 'success', yellow: 'warning', red: 'error' } as const;

/** The words of a light: 超期 N 个工作日, 今日到期, 剩余 N 个工作日. */
export function useLightText() {
  const { t } = useTranslation();
  return (light: Light, dueToday: boolean): string => {
    if (light.light === 'red') {
      return light.workingDays > 0 ? t('deadlines.overdueDays', { count: light.workingDays }) : t('deadlines.overdue');
    }
    if (dueToday) return t('deadlines.dueToday');
    return t('deadlines.daysLeft', { count: light.workingDays });
  };
}

export interface DeadlineLightProps {
  /** the deadline in force (YYYY-MM-DD) */
  deadline: string | null | undefined;
  /** the status: a closed or cancelled issue has no light */
  status?: string | undefined;
  /** today (YYYY-MM-DD, Asia/Shanghai); tests pin it */
  today?: string | undefined;
}

/**
 * The traffic light of a deadline as a tag: green on track, yellow due within 3 working days, red overdue,
 * counted in working days on notify-api's calendar (holidays, 调休 and the administrators' overrides).
 */
export function DeadlineLight({ deadline, status, today }: DeadlineLightProps) {
  const { t } = useTranslation();
  const light = useDeadlineLight(status && !OPEN.has(status) ? null : deadline, today);
  const text = useLightText();
  if (!light || !deadline) return null;
  const dueToday = deadline.slice(0, 10) === (today ?? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
  return (
    <Tooltip title={t(`deadlines.hint.${light.light}`)}>
      <Tag color={COLORS[light.light]} data-light={light.light} style={{ marginInlineEnd: 0, whiteSpace: 'nowrap' }}>
        {text(light, dueToday)}
      </Tag>
    </Tooltip>
  );
}
