import { describe, expect, it } from 'vitest';
import { workCalendar, WEEKDAYS_ONLY } from '@/shared/lib/deadline-light';
import { deadlinePresets, extensionDayDisabled, presetYears } from './deadline-presets';
import { DEFAULT_SORT, filtersOfView, filterQuery, pageOf, pageQuery, pageSizeOf, sameFilters, viewFiltersOf } from './ledger-query';

describe('the ledger query', () => {
  it('sorts by urgency unless a sort is chosen, and jumps to a page by offset', () => {
    expect(filterQuery({}).sort).toBe(DEFAULT_SORT);
    expect(filterQuery({ sort: '-created_at' }).sort).toBe('-created_at');
    expect(pageQuery({ q: 'YS-2026-0313' }, 3, 50)).toMatchObject({ q: 'YS-2026-0313', limit: 50, offset: 100 });
    expect(pageQuery({}, 0, 20).offset).toBe(0);
    expect(filterQuery({ overdue: true, open: 'true' })).toMatchObject({ overdue: true, open: 'true' });
  });

  it('reads the page and its size from the URL, falling back on bad values', () => {
    expect(pageSizeOf('50')).toBe(50);
    expect(pageSizeOf('37')).toBe(20);
    expect(pageSizeOf(null)).toBe(20);
    expect(pageOf('4')).toBe(4);
    expect(pageOf('-2')).toBe(1);
    expect(pageOf('x')).toBe(1);
  });

  it('keeps the filters as a saved view and reads them back unchanged', () => {
    const filters = {
      status: 'in_progress',
      unit_id: 'u1',
      q: '审批',
      overdue: true,
      open: 'true',
      rework: 'false',
      deadline_from: '2026-12-01',
      sort: 'urgency',
    };
    const view = viewFiltersOf(filters);
    expect(view).toEqual({
      status: ['in_progress'],
      unit_id: 'u1',
      q: '审批',
      overdue: true,
      open: true,
      rework: false,
      deadline_from: '2026-12-01',
      sort: 'urgency',
    });
    expect(filtersOfView({ filters: view })).toEqual(filters);
    expect(sameFilters(filters, filtersOfView({ filters: view }))).toBe(true);
    expect(sameFilters(filters, { ...filters, q: '其他' })).toBe(false);
  });
});

describe('交办 deadline presets', () => {
  it('count working days, skipping weekends', () => {
    // Wednesday 2026-12-02: 5 working days on is Wednesday 2026-12-09
    expect(deadlinePresets('2026-12-02', WEEKDAYS_ONLY)).toEqual([
      { workingDays: 5, date: '2026-12-09' },
      { workingDays: 10, date: '2026-12-16' },
      { workingDays: 15, date: '2026-12-23' },
      { workingDays: 30, date: '2027-01-13' },
    ]);
  });

  it('skip holidays and count 调休 make-up days as on the calendar', () => {
    const calendar = workCalendar([
      {
        days: [
          { date: '2026-10-01', is_working: false },
          { date: '2026-10-02', is_working: false },
          { date: '2026-10-05', is_working: false },
          { date: '2026-10-06', is_working: false },
          { date: '2026-10-07', is_working: false },
          { date: '2026-10-08', is_working: false },
          { date: '2026-10-10', is_working: true }, // Saturday 调休
        ],
      },
    ]);
    // from Wednesday 2026-09-30: 10-09 (Fri) is the 1st, 10-10 (Sat, 调休) the 2nd, 10-12..10-14 the 3rd-5th
    expect(deadlinePresets('2026-09-30', calendar, [5])).toEqual([{ workingDays: 5, date: '2026-10-14' }]);
    expect(presetYears('2026-12-20')).toEqual([2026, 2027]);
  });

  it('an extension date must be later than the deadline in force and not past', () => {
    expect(extensionDayDisabled('2026-12-31', '2026-12-31', '2026-12-02')).toBe(true);
    expect(extensionDayDisabled('2026-12-30', '2026-12-31', '2026-12-02')).toBe(true);
    expect(extensionDayDisabled('2027-01-04', '2026-12-31', '2026-12-02')).toBe(false);
    expect(extensionDayDisabled('2026-12-01', null, '2026-12-02')).toBe(true);
    expect(extensionDayDisabled('2026-12-03', null, '2026-12-02')).toBe(false);
  });
});
