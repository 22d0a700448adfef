/**
 * 交办 deadline presets: 5, 10, 15 or 30 working days from today, each with the date it gives, counted on
 * notify-api's working-day calendar (holidays and 调休 make-up days) as the escalations and the lights count.
 */
import { addWorkingDays, type WorkCalendar } from '@/shared/lib/deadline-light';

export const PRESET_WORKING_DAYS = [5, 10, 15, 30] as const;

export interface DeadlinePreset {
  workingDays: number;
  /** YYYY-MM-DD */
  date: string;
}

export function deadlinePresets(today: string, calendar: WorkCalendar, days: readonly number[] = PRESET_WORKING_DAYS): DeadlinePreset[] {
  return days.map((n) => ({ workingDays: n, date: addWorkingDays(today, n, calendar) }));
}

/** The calendar years the presets may reach from `today` (30 working days run into the next year in December). */
export function presetYears(today: string): number[] {
  const year = Number(today.slice(0, 4));
  return [year, year + 1];
}

/** An extension must be later than the deadline in force (the API refuses others) and not in the past. */
export function extensionDayDisabled(day: string, deadline: string | null | undefined, today: string): boolean {
  return day < today || (deadline ? day <= deadline.slice(0, 10) : false);
}
