/**
 * The traffic light of a deadline (红黄绿灯), on the working-day calendar.
 *
 * This mirrors the backend exactly, so a row's tag agrees with notify-api's escalations and report-api's
 * `/reports/lights`: `services/kit/src/rectify_kit/workdays.py` (a day is a working day when the calendar says
 * so — official holidays and 调休 make-up days, with the administrators' overrides on top — else when it is
 * Monday to Friday), `notify_api/escalations/firing.py` (overdue = working days after the deadline up to today;
 * left = working days after today up to the deadline) and `report_api/figures/service.py` (red before today,
 * yellow from today to the last day with at most 3 working days after today, else green).
 *
 * Days are `YYYY-MM-DD` strings (Asia/Shanghai business days); arithmetic runs on UTC dates so the browser's
 * own time zone never moves a day.
 */

export type Light = 'green' | 'yellow' | 'red';

export interface DeadlineLight {
  light: Light;
  /** red: working days overdue; otherwise working days left (0 when due today). */
  workingDays: number;
}

/** Yellow: due within this many working days (report-api's DUE_SOON_WORKING_DAYS). */
export const DUE_SOON_WORKING_DAYS = 3;

/** How far a count may run (the kit's MAX_SPAN_DAYS): a bad date must not loop for ever. */
const MAX_SPAN_DAYS = 3660;
const DAY_MS = 86_400_000;

/** Exceptions to Monday-to-Friday by day: `true` a working day (调休), `false` a day off (holiday). */
export interface WorkCalendar {
  exceptions: ReadonlyMap<string, boolean>;
}

/** One year's answer of `GET /api/v1/calendar?year=` (the official days and the overrides, which already win). */
export interface CalendarYear {
  days: ReadonlyArray<{ date: string; is_working: boolean }>;
}

/** The calendar made of the years loaded from notify-api (a year not loaded counts Monday to Friday). */
export function workCalendar(years: Iterable<CalendarYear>): WorkCalendar {
  const exceptions = new Map<string, boolean>();
  for (const year of years) {
    for (const day of year.days) exceptions.set(day.date.slice(0, 10), day.is_working);
  }
  return { exceptions };
}

/** Monday to Friday, nothing else: what a year without official data counts. */
export const WEEKDAYS_ONLY: WorkCalendar = { exceptions: new Map() };

function toTime(day: string): number {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

function toDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return toDay(toTime(day) + n * DAY_MS);
}

export function isWorkingDay(day: string, calendar: WorkCalendar): boolean {
  const key = day.slice(0, 10);
  const known = calendar.exceptions.get(key);
  if (known !== undefined) return known;
  const weekday = new Date(toTime(key)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Working days after `start` up to and including `end` (0 when `end` is not later). */
export function workingDaysBetween(start: string, end: string, calendar: WorkCalendar): number {
  const first = toTime(start);
  const last = Math.min(toTime(end), first + MAX_SPAN_DAYS * DAY_MS);
  let count = 0;
  for (let t = first + DAY_MS; t <= last; t += DAY_MS) {
    if (isWorkingDay(toDay(t), calendar)) count += 1;
  }
  return count;
}

/** The n-th working day after `start` (n > 0); `start` itself never counts. */
export function addWorkingDays(start: string, n: number, calendar: WorkCalendar): string {
  let time = toTime(start);
  const limit = time + MAX_SPAN_DAYS * DAY_MS;
  let remaining = n;
  while (remaining > 0 && time < limit) {
    time += DAY_MS;
    if (isWorkingDay(toDay(time), calendar)) remaining -= 1;
  }
  return toDay(time);
}

/** The last day with at most `n` working days after `start` up to it: the day before the (n+1)-th working day. */
export function lastDayWithin(start: string, n: number, calendar: WorkCalendar): string {
  return addDays(addWorkingDays(start, n + 1, calendar), -1);
}

/** The light of `deadline` seen on `today`: red past it, yellow due within 3 working days (today included), else green. */
export function deadlineLight(deadline: string, today: string, calendar: WorkCalendar): DeadlineLight {
  const due = deadline.slice(0, 10);
  const now = today.slice(0, 10);
  if (due < now) return { light: 'red', workingDays: workingDaysBetween(due, now, calendar) };
  const light: Light = due <= lastDayWithin(now, DUE_SOON_WORKING_DAYS, calendar) ? 'yellow' : 'green';
  return { light, workingDays: workingDaysBetween(now, due, calendar) };
}

/** How many years either side of today's a light loads: beyond them the count runs on Monday to Friday (years
 * without official data count so anyway), and a deadline far off asks for no more than a handful of calendars. */
const YEARS_AROUND = 2;

/** The calendar years a light from `today` to `deadline` needs (both included, in order, at most 2 years from today's). */
export function yearsSpanned(deadline: string, today: string): number[] {
  const a = Number(deadline.slice(0, 4));
  const b = Number(today.slice(0, 4));
  const low = Math.max(Math.min(a, b), b - YEARS_AROUND);
  const high = Math.min(Math.max(a, b), b + YEARS_AROUND);
  const years: number[] = [];
  for (let y = low; y <= high; y += 1) years.push(y);
  return years;
}
