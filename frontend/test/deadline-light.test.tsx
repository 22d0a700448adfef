import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineLight } from '@/features/deadlines';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const GOLDEN_WEEK = {
  year: 2026,
  provisional: false,
  warnings: [],
  days: [
    ...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({
      date,
      is_working: false,
      note: '国庆节',
      note_en: 'National Day',
      source: 'official',
    })),
    { date: '2026-10-10', is_working: true, note: '国庆节调休', note_en: 'National Day', source: 'official' },
  ],
};

afterEach(() => vi.unstubAllGlobals());

describe('DeadlineLight', () => {
  it('loads the calendar once and tags each deadline in working days', async () => {
    const api = mockFetch({ 'GET /api/v1/calendar': () => json(GOLDEN_WEEK) });
    renderAt(
      '/',
      <div>
        <DeadlineLight deadline="2026-09-30" today="2026-10-08" status="in_progress" />
        <DeadlineLight deadline="2026-10-09" today="2026-09-29" />
        <DeadlineLight deadline="2026-10-12" today="2026-09-30" />
        <DeadlineLight deadline="2026-10-08" today="2026-10-08" />
        <DeadlineLight deadline="2026-09-01" today="2026-10-08" status="closed" />
      </div>,
    );
    expect(await screen.findByText('超期 1 个工作日')).toHaveAttribute('data-light', 'red');
    expect(screen.getByText('剩余 3 个工作日')).toHaveAttribute('data-light', 'yellow');
    expect(screen.getByText('剩余 4 个工作日')).toHaveAttribute('data-light', 'green');
    expect(screen.getByText('今日到期')).toHaveAttribute('data-light', 'yellow');
    expect(screen.queryByText(/超期 2\d/)).toBeNull();
    expect(document.querySelectorAll('[data-light]')).toHaveLength(4); // the closed issue has no light
    const asked = api.find('GET', '/api/v1/calendar');
    expect(asked.map((c) => c.url.searchParams.get('year'))).toEqual(['2026']);
  });

  it('speaks English when the user switches', async () => {
    mockFetch({ 'GET /api/v1/calendar': () => json(GOLDEN_WEEK) });
    const { i18n } = renderAt('/', <DeadlineLight deadline="2026-10-09" today="2026-09-30" />);
    await i18n.changeLanguage('en');
    expect(await screen.findByText('2 working days left')).toBeInTheDocument();
  });
});
