import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { todayInShanghai } from '@/shared/lib/overdue';
import { deadlineLight, WEEKDAYS_ONLY, workCalendar, yearsSpanned, type DeadlineLight, type WorkCalendar } from '@/shared/lib/deadline-light';
import { calendarQueries } from '../api/calendar-queries';

export interface WorkCalendarState {
  calendar: WorkCalendar;
  /** false until every year asked for is loaded (or failed: then those years count Monday to Friday) */
  ready: boolean;
  failed: boolean;
}

/** The working-day calendar of `years`, each year loaded once and shared by every caller. */
export function useWorkCalendar(years: readonly number[]): WorkCalendarState {
  const results = useQueries({ queries: years.map((year) => calendarQueries.year(year)) });
  const loaded = results.map((r) => r.data);
  const ready = results.every((r) => !r.isPending);
  const failed = results.some((r) => r.isError);
  const key = loaded.map((d) => (d ? `${d.year}:${d.days.length}` : '-')).join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names what `loaded` holds
  const calendar = useMemo(() => (loaded.some(Boolean) ? workCalendar(loaded.filter((d) => d !== undefined)) : WEEKDAYS_ONLY), [key]);
  return { calendar, ready, failed };
}

/** The light of one deadline, seen today (Asia/Shanghai); null without a deadline or before the calendar loads. */
export function useDeadlineLight(deadline: string | null | undefined, today: string = todayInShanghai()): DeadlineLight | null {
  const years = deadline ? yearsSpanned(deadline, today) : [];
  const { calendar, ready } = useWorkCalendar(years);
  if (!deadline || !ready) return null;
  return deadlineLight(deadline, today, calendar);
}
