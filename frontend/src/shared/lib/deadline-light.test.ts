import { describe, expect, it } from 'vitest';
import {
  deadlineLight,
  isWorkingDay,
  lastDayWithin,
  WEEKDAYS_ONLY,
  workCalendar,
  workingDaysBetween,
  yearsSpanned,
} from './deadline-light';

// The State Council's 2026 schedule as notify-api serves it (chinese-calendar through rectify_kit.workdays):
// the days that differ from Monday to Friday. 国庆 golden week is 1-7 October, made up on Sunday 20 September
// and Saturday 10 October; 中秋 is Friday 25 September; 春节 runs 15-23 February, made up on 14 and 28 February.
const OFFICIAL_2026: [string, boolean][] = [
  ['2026-01-01', false], ['2026-01-02', false], ['2026-01-04', true],
  ['2026-02-14', true], ['2026-02-16', false], ['2026-02-17', false], ['2026-02-18', false], ['2026-02-19', false],
  ['2026-02-20', false], ['2026-02-23', false], ['2026-02-28', true],
  ['2026-04-06', false], ['2026-05-01', false], ['2026-05-04', false], ['2026-05-05', false], ['2026-05-09', true],
  ['2026-06-19', false], ['2026-09-20', true], ['2026-09-25', false],
  ['2026-10-01', false], ['2026-10-02', false], ['2026-10-05', false], ['2026-10-06', false], ['2026-10-07', false],
  ['2026-10-10', true],
];

function year2026(overrides: [string, boolean][] = []) {
  // the API answers one entry per day, the override in place of the official day it changes
  const days = new Map(OFFICIAL_2026);
  for (const [day, working] of overrides) days.set(day, working);
  return { days: [...days].map(([date, is_working]) => ({ date, is_working })) };
}

const official = workCalendar([year2026()]);

describe('the working-day calendar', () => {
  it('counts weekends off, holidays off and 调休 Saturdays and Sundays as working days', () => {
    expect(isWorkingDay('2026-09-30', official)).toBe(true); // Wednesday
    expect(isWorkingDay('2026-10-01', official)).toBe(false); // National Day
    expect(isWorkingDay('2026-10-03', official)).toBe(false); // Saturday within the golden week
    expect(isWorkingDay('2026-10-10', official)).toBe(true); // make-up Saturday
    expect(isWorkingDay('2026-09-20', official)).toBe(true); // make-up Sunday
    expect(isWorkingDay('2026-10-11', official)).toBe(false); // an ordinary Sunday
  });

  it('counts the working days after the start up to and including the end', () => {
    // 30 September to 12 October: 8, 9, 10 (调休) and 12 October
    expect(workingDaysBetween('2026-09-30', '2026-10-12', official)).toBe(4);
    expect(workingDaysBetween('2026-09-30', '2026-10-12', WEEKDAYS_ONLY)).toBe(8);
    expect(workingDaysBetween('2026-10-12', '2026-09-30', official)).toBe(0);
  });

  it('ends the yellow window the day before the fourth working day, as report-api does', () => {
    expect(lastDayWithin('2026-09-30', 3, official)).toBe('2026-10-11');
    expect(lastDayWithin('2026-09-18', 3, official)).toBe('2026-09-22'); // Sunday the 20th is a working day
    expect(lastDayWithin('2026-09-18', 3, WEEKDAYS_ONLY)).toBe('2026-09-23');
  });
});

describe('deadlineLight', () => {
  it('is red past the deadline, counting the working days overdue across the golden week', () => {
    expect(deadlineLight('2026-09-30', '2026-10-08', official)).toEqual({ light: 'red', workingDays: 1 });
    // 中秋 on the 25th and the golden week skipped: 28, 29, 30 September, 8 and 9 October
    expect(deadlineLight('2026-09-24', '2026-10-09', official)).toEqual({ light: 'red', workingDays: 5 });
  });

  it('is red with no working day overdue yet when the deadline passed over a holiday', () => {
    expect(deadlineLight('2026-09-30', '2026-10-03', official)).toEqual({ light: 'red', workingDays: 0 });
  });

  it('is yellow due today and within 3 working days, the holidays skipped', () => {
    expect(deadlineLight('2026-09-30', '2026-09-30', official)).toEqual({ light: 'yellow', workingDays: 0 });
    // 29 September to 9 October: only 30 September, 8 and 9 October are working days
    expect(deadlineLight('2026-10-09', '2026-09-29', official)).toEqual({ light: 'yellow', workingDays: 3 });
    // 春节: from Friday 13 February only the make-up Saturday 14th and Tuesday 24th are working days
    expect(deadlineLight('2026-02-24', '2026-02-13', official)).toEqual({ light: 'yellow', workingDays: 2 });
  });

  it('turns green sooner when a make-up working day falls within the window', () => {
    // from 30 September: 8, 9 and 10 October (the make-up Saturday) are the three working days
    expect(deadlineLight('2026-10-12', '2026-09-30', official)).toEqual({ light: 'green', workingDays: 4 });
    expect(deadlineLight('2026-09-23', '2026-09-18', official)).toEqual({ light: 'green', workingDays: 4 });
    // Monday to Friday alone would call both yellow
    expect(deadlineLight('2026-09-23', '2026-09-18', WEEKDAYS_ONLY).light).toBe('yellow');
  });

  it("counts the administrators' overrides: a day off added makes the deadline yellow", () => {
    const withDayOff = workCalendar([year2026([['2026-10-09', false]])]);
    expect(deadlineLight('2026-10-12', '2026-09-30', withDayOff)).toEqual({ light: 'yellow', workingDays: 3 });
    const madeWorking = workCalendar([year2026([['2026-10-05', true]])]);
    expect(deadlineLight('2026-09-30', '2026-10-08', madeWorking)).toEqual({ light: 'red', workingDays: 2 });
  });

  it('is green far ahead and takes a date-time deadline by its day', () => {
    expect(deadlineLight('2026-12-31T00:00:00Z', '2026-10-08', official).light).toBe('green');
  });
});

describe('yearsSpanned', () => {
  it('names every year between today and the deadline', () => {
    expect(yearsSpanned('2027-01-15', '2026-12-20')).toEqual([2026, 2027]);
    expect(yearsSpanned('2024-03-01', '2026-12-02')).toEqual([2024, 2025, 2026]);
    expect(yearsSpanned('2026-12-30', '2026-12-02')).toEqual([2026]);
  });

  it('asks for no more than two years either side of today', () => {
    expect(yearsSpanned('2999-01-01', '2026-12-02')).toEqual([2026, 2027, 2028]);
    expect(yearsSpanned('2017-09-30', '2026-12-02')).toEqual([2024, 2025, 2026]);
  });
});
