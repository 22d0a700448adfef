import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import { periodLabel } from '@/features/reports/components/cockpit-charts';
import { kpiHref, lightHref, statusHref, unitHref } from '@/features/reports/lib/cockpit-links';
import { createI18n } from '@/i18n';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const fresh = { as_of_seq: 2378, lag_events: 0, checked_at: new Date(Date.now() - 3000).toISOString() };
const summary = {
  total: 310, open: 180, closed: 120, cancelled: 10, overdue: 44, closure_rate: 0.4, on_time_rate: 0.75, on_time_rate_original: 0.7,
  satisfaction_rate: null, dissatisfied: 0, appeals: 0, avg_working_days_to_close: 6.5, reopen_count: 2,
  escalations_by_level: { '0': 1, '1': 0, '2': 0, '3': 0, '4': 0 }, province: null, ...fresh,
};

function backend() {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json({ id: 'u3', username: 'leader', display_name: '组长', role: 'leader', unit_id: null }),
    'GET /api/v1/units': () => json({ items: [] }),
    'GET /api/v1/issues': () => json({ items: [], next_cursor: null, total: 0 }),
    'GET /api/v1/reports/summary': () => json(summary),
    'GET /api/v1/reports/statuses': () =>
      json({ items: [{ status: 'registered', count: 0 }, { status: 'assigned', count: 17 }, { status: 'closed', count: 120 }], ...fresh }),
    'GET /api/v1/reports/lights': () =>
      json({ red: 44, yellow: 12, green: 120, no_deadline: 4, today: '2026-09-30', due_soon_until: '2026-10-11', ...fresh }),
    'GET /api/v1/reports/units': () =>
      json({
        items: [
          { rank: 2, unit_id: 'B', unit_code: 'B', unit_name: '乙处', total: 10, open: 5, closed: 5, cancelled: 0, overdue: 2, closure_rate: 0.5, on_time_rate: 0.4, on_time_rate_original: 0.4 },
          { rank: 1, unit_id: 'A', unit_code: 'A', unit_name: '甲处', total: 10, open: 2, closed: 8, cancelled: 0, overdue: 0, closure_rate: 0.8, on_time_rate: 0.9, on_time_rate_original: 0.9 },
        ],
        red_list: [], black_list: [], ...fresh,
      }),
    'GET /api/v1/reports/trend': () => json({ granularity: 'month', items: [], ...fresh }),
  });
}

describe('where the cockpit leads', () => {
  it('opens the ledger filtered to what each figure counts', () => {
    expect(kpiHref('total')).toBe('/issues');
    expect(kpiHref('open')).toBe('/issues?open=true&sort=urgency');
    expect(kpiHref('overdue')).toBe('/issues?overdue=true&sort=urgency');
    expect(kpiHref('closureRate')).toBe('/issues?status=closed');
    const window = { today: '2026-09-30', due_soon_until: '2026-10-11' };
    expect(lightHref('red', window)).toBe('/issues?overdue=true&sort=urgency');
    expect(lightHref('yellow', window)).toBe('/issues?open=true&deadline_from=2026-09-30&deadline_to=2026-10-11&sort=urgency');
    // green starts the day after the last yellow deadline
    expect(lightHref('green', window)).toBe('/issues?open=true&deadline_from=2026-10-12&sort=urgency');
    expect(statusHref('pending_review')).toBe('/issues?status=pending_review');
    expect(unitHref('A')).toBe('/issues?unit_id=A&sort=urgency');
  });
});

describe('the periods of the trend', () => {
  it('read as weeks and months, not as codes', () => {
    const zh = createI18n('zh-CN').t;
    const en = createI18n('en').t;
    expect(periodLabel('2026-W38', zh)).toBe('第38周');
    expect(periodLabel('2026-11', zh)).toBe('2026年11月');
    expect(periodLabel('2026-W07', en)).toBe('Week 7');
    expect(periodLabel('2026-Q4', zh)).toBe('2026-Q4');
  });
});

describe('the leaders’ cockpit', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is where a leader lands: KPI cards and lights that open the ledger, freshness as a time', async () => {
    backend();
    renderAt('/', <AppRoutes />);
    expect(await screen.findByRole('heading', { name: '领导驾驶舱' }, { timeout: 5000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('kpi-overdue')).toHaveTextContent('44'));
    expect(screen.getByTestId('kpi-overdue')).toHaveAttribute('href', '/issues?overdue=true&sort=urgency');
    expect(screen.getByTestId('kpi-total')).toHaveTextContent('310');
    expect(screen.getByTestId('kpi-closureRate')).toHaveTextContent('40.0%');
    expect(await screen.findByTestId('light-yellow')).toHaveTextContent('12');
    expect(screen.getByTestId('light-yellow')).toHaveAttribute('href', '/issues?open=true&deadline_from=2026-09-30&deadline_to=2026-10-11&sort=urgency');
    expect(screen.getByText('另有 4 项尚未确定整改时限')).toBeInTheDocument();
    expect(screen.getByTestId('freshness')).toHaveTextContent(/^数据更新于 \d\d:\d\d，\d+秒前$/);
    expect(document.body.textContent).not.toContain('2378');
  });

  it('opens the ledger of a status slice', async () => {
    const m = backend();
    renderAt('/cockpit', <AppRoutes />);
    // the donut draws only the statuses with issues: its first slice is 已交办
    await waitFor(() => expect(m.find('GET', '/api/v1/reports/statuses')).toHaveLength(1));
    await userEvent.click(await screen.findByRole('button', { name: '状态分布' }, { timeout: 5000 }));
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('status')).toBe('assigned'));
  });

  it('opens the ledger of a unit bar', async () => {
    const m = backend();
    renderAt('/cockpit', <AppRoutes />);
    await waitFor(() => expect(m.find('GET', '/api/v1/reports/units')).toHaveLength(1));
    // the best unit is drawn at the top, so the first bar is the last ranked: 乙处
    await userEvent.click(await screen.findByRole('button', { name: '责任单位销号率排名' }, { timeout: 5000 }));
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('unit_id')).toBe('B'));
  });
});

describe('the board', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the figures without the app header, with the freshness as a time', async () => {
    backend();
    renderAt('/board', <AppRoutes />);
    expect(await screen.findByTestId('board', undefined, { timeout: 5000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('board-kpi-open')).toHaveTextContent('180'));
    expect(screen.getByTestId('board-light-red')).toHaveTextContent('44');
    expect(screen.queryByTestId('current-user')).toBeNull();
    expect(screen.getByTestId('freshness')).toHaveTextContent(/^数据更新于 \d\d:\d\d，\d+秒前$/);
  });
});
