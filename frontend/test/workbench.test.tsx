import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import { initialQueue, ledgerHref, officeQueues, unitQueues } from '@/features/workbench/lib/queues';
import { PHONE_QUERY } from '@/shared/hooks/use-is-phone';
import { json, mockFetch, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';

const GOLDEN_WEEK_2026 = {
  year: 2026,
  provisional: false,
  warnings: [],
  days: [
    ...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({
      date, is_working: false, note: '国庆节', note_en: 'National Day', source: 'official',
    })),
    { date: '2026-10-10', is_working: true, note: '国庆节调休', note_en: 'National Day', source: 'official' },
  ],
};

function issue(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: `i${n}`, code: `YS-2026-000${n}`, campaign_id: 'c1', kind: 'problem', source: 'inspection', title: `问题${n}`,
    description: '', status: 'assigned', lead_unit_id: 'unit-gx', co_unit_ids: [], deadline: '2026-10-09',
    progress_percent: 0, flagged: false, overdue: false, created_at: '2026-09-01T00:00:00Z', ...extra,
  };
}

/** What 我负责的 counts in a test (none unless the test says so). */
let mineTotal = 0;

/** The count each issue queue's filter answers in these tests. */
function issueTotal(p: URLSearchParams): number {
  if (p.get('mine') === 'true') return mineTotal;
  if (p.get('to_accept') === 'true') return 17;
  if (p.get('status') === 'in_progress') return 9;
  if (p.get('rework') === 'true') return 2;
  if (p.get('deadline_to')) return 4;
  if (p.get('overdue') === 'true') return 44;
  if (p.get('status') === 'pending_review') return 3;
  if (p.get('extension_pending') === 'true') return 1;
  if (p.get('status') === 'returned') return 0;
  if (p.get('status') === 'registered') return 5;
  return 0;
}

function issuesApi(call: RecordedCall) {
  const p = call.url.searchParams;
  const total = issueTotal(p);
  const items = p.get('limit') === '1' ? [] : [issue(1, { status: p.get('status') ?? 'assigned' }), issue(2, { deadline: '2026-10-12' })];
  return json({ items, next_cursor: null, total });
}

function signedIn(me: Record<string, unknown>) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'unit-gx', name: '高新技术处' }] }),
    'GET /api/v1/calendar': (call) =>
      json(call.url.searchParams.get('year') === '2026' ? GOLDEN_WEEK_2026 : { year: 2027, provisional: true, warnings: [], days: [] }),
    'GET /api/v1/issues': issuesApi,
    'GET /api/v1/escalations': () => json({ items: [], next_cursor: null, total: 6 }),
    'GET /api/v1/intake': (call) =>
      json({
        items: call.url.searchParams.get('limit') === '1' ? [] : [{ id: 's1', title: '企业开办需重复提交材料', content: '…', code_hint: 'TS-0001', status: 'submitted', submitted_at: '2026-09-29T02:00:00Z' }],
        next_cursor: null,
        total: 7,
      }),
  });
}

describe('the queues', () => {
  it('list what each tab of the unit workbench counts, the 临期 window ending where the calendar says', () => {
    const queues = unitQueues({ today: '2026-09-30', dueSoonUntil: '2026-10-11' });
    expect(queues.map((q) => q.key)).toEqual(['mine', 'toAccept', 'inProgress', 'sentBack', 'dueSoon', 'overdue', 'notices']);
    expect(queues.find((q) => q.key === 'mine')?.href).toBe('/issues?mine=true&open=true&sort=urgency');
    const dueSoon = queues.find((q) => q.key === 'dueSoon');
    expect(dueSoon?.source).toEqual({ kind: 'issues', filter: { open: 'true', deadline_from: '2026-09-30', deadline_to: '2026-10-11' } });
    expect(dueSoon?.href).toBe('/issues?open=true&deadline_from=2026-09-30&deadline_to=2026-10-11&sort=urgency');
    expect(queues.find((q) => q.key === 'notices')?.href).toBe('/escalations?unacknowledged=1');
    expect(officeQueues().map((q) => q.key)).toEqual(['intake', 'toAssign', 'toReview', 'extensions', 'returned', 'overdue']);
    expect(ledgerHref({ extension_pending: 'true', open: 'true' })).toBe('/issues?extension_pending=true&open=true&sort=urgency');
  });

  it('open the tab in the URL, else the first with something in it', () => {
    const queues = officeQueues();
    expect(initialQueue(queues, { intake: 0, toAssign: 0, toReview: 3 }, null)).toBe('toReview');
    expect(initialQueue(queues, { intake: 0, toReview: 3 }, 'overdue')).toBe('overdue');
    expect(initialQueue(queues, {}, 'nonsense')).toBe('intake');
  });
});

describe('the unit workbench', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-09-30T02:00:00Z')); // 10:00 in Beijing, the day before National Day
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is where a unit clerk lands, with a count per queue and the waiting items most urgent first', async () => {
    const m = signedIn({ id: 'u1', username: 'KJT-GX', display_name: '高新处经办人', role: 'unit', unit_id: 'unit-gx' });
    renderAt('/', <AppRoutes />);

    expect(await screen.findByRole('heading', { name: '工作台' })).toBeInTheDocument();
    const count = (key: string) => screen.getByTestId(`queue-card-${key}`);
    await waitFor(() => expect(count('toAccept')).toHaveTextContent('17'));
    expect(count('inProgress')).toHaveTextContent('9');
    expect(count('sentBack')).toHaveTextContent('2');
    expect(count('dueSoon')).toHaveTextContent('4');
    expect(count('overdue')).toHaveTextContent('44');
    expect(count('notices')).toHaveTextContent('6');

    // 临期 runs to the last day with at most 3 working days after today: 8, 9 and the make-up Saturday 10 October
    const dueSoon = m.find('GET', '/api/v1/issues').find((c) => c.url.searchParams.get('deadline_to'));
    expect(dueSoon?.url.searchParams.get('deadline_from')).toBe('2026-09-30');
    expect(dueSoon?.url.searchParams.get('deadline_to')).toBe('2026-10-11');
    expect(dueSoon?.url.searchParams.get('open')).toBe('true');

    // the first tab with something in it (待接收) lists its items by urgency, each with its light
    const list = await screen.findAllByTestId('queue-item');
    expect(list).toHaveLength(2);
    expect(within(list[0] as HTMLElement).getByText('剩余 2 个工作日')).toHaveAttribute('data-light', 'yellow');
    expect(within(list[1] as HTMLElement).getByText('剩余 4 个工作日')).toHaveAttribute('data-light', 'green');
    // (我负责的, the first tab, may be asked for while the counts load: it is empty here)
    const listed = m.find('GET', '/api/v1/issues').filter((c) => c.url.searchParams.get('limit') !== '1');
    expect(listed.at(-1)?.url.searchParams.get('to_accept')).toBe('true');
    expect(listed.at(-1)?.url.searchParams.get('sort')).toBe('urgency');
    expect(screen.getByRole('link', { name: '在台账中查看全部' })).toHaveAttribute('href', '/issues?to_accept=true&sort=urgency');

    // a count opens its tab: 超期
    await userEvent.click(count('overdue'));
    await waitFor(() => {
      const last = m.find('GET', '/api/v1/issues').filter((c) => c.url.searchParams.get('limit') !== '1').at(-1);
      expect(last?.url.searchParams.get('overdue')).toBe('true');
    });
    expect(screen.getByRole('link', { name: '在台账中查看全部' })).toHaveAttribute('href', '/issues?overdue=true&sort=urgency');
  });

  it('opens on 我负责的 when the person is responsible for something: their open items, most urgent first', async () => {
    mineTotal = 3;
    try {
      const m = signedIn({ id: 'u1', username: 'KJT-GX', display_name: '高新处经办人', role: 'unit', unit_id: 'unit-gx' });
      renderAt('/', <AppRoutes />);
      await waitFor(() => expect(screen.getByTestId('queue-card-mine')).toHaveTextContent('3'));
      expect(await screen.findAllByTestId('queue-item')).toHaveLength(2);
      const listed = m.find('GET', '/api/v1/issues').filter((c) => c.url.searchParams.get('limit') !== '1');
      expect(listed[0]?.url.searchParams.get('mine')).toBe('true');
      expect(listed[0]?.url.searchParams.get('open')).toBe('true');
      expect(screen.getByRole('link', { name: '在台账中查看全部' })).toHaveAttribute('href', '/issues?mine=true&open=true&sort=urgency');
    } finally {
      mineTotal = 0;
    }
  });
});

describe('the office desk', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is where the office lands: complaints to accept, items to review, extensions, returns, overdue', async () => {
    const m = signedIn({ id: 'u2', username: 'office', display_name: '办公室', role: 'office', unit_id: null });
    renderAt('/', <AppRoutes />);

    expect(await screen.findByRole('heading', { name: '办公室工作台' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('queue-card-intake')).toHaveTextContent('7'));
    expect(screen.getByTestId('queue-card-toReview')).toHaveTextContent('3');
    expect(screen.getByTestId('queue-card-extensions')).toHaveTextContent('1');
    expect(screen.getByTestId('queue-card-returned')).toHaveTextContent('0');
    expect(screen.getByTestId('queue-card-overdue')).toHaveTextContent('44');
    expect(await screen.findByText('企业开办需重复提交材料')).toBeInTheDocument();
    expect(m.find('GET', '/api/v1/intake').every((c) => c.url.searchParams.get('status') === 'submitted')).toBe(true);
    const listed = m.find('GET', '/api/v1/intake').find((c) => c.url.searchParams.get('limit') !== '1');
    expect(listed?.url.searchParams.get('sort')).toBe('submitted_at');
    const ext = m.find('GET', '/api/v1/issues').find((c) => c.url.searchParams.get('extension_pending'));
    expect(ext?.url.searchParams.get('open')).toBe('true');
  });
});

describe('the unit workbench on a phone', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('has the count cards for tabs: no row of tabs, the open queue named above its list', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      media: query,
      matches: query === PHONE_QUERY,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
    }));
    signedIn({ id: 'u1', username: 'KJT-GX', display_name: '高新处经办人', role: 'unit', unit_id: 'unit-gx' });
    renderAt('/workbench?tab=overdue', <AppRoutes />);
    expect(await screen.findByRole('heading', { name: '超期', level: 4 })).toBeInTheDocument();
    expect(screen.queryByRole('tab')).toBeNull();
    await userEvent.click(await screen.findByTestId('queue-card-toAccept'));
    expect(await screen.findByRole('heading', { name: '待接收', level: 4 })).toBeInTheDocument();
  });
});
