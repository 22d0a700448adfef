import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeetingOut, OverdueItem } from '@/api/generated/openapi';
import { AppRoutes } from '@/app/routes';
import { Freshness } from '@/features/reports/components/freshness';
import { json, mockFetch, problem, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

// jsdom has no canvas: the charts are not under test here
const office = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const leader = { id: 'u3', username: 'leader', display_name: '组长', role: 'leader', unit_id: null };
const unitUser = { id: 'u2', username: 'A', display_name: '甲处经办人', role: 'unit', unit_id: 'A' };
const fresh = { as_of_seq: 42, lag_events: 3, checked_at: new Date(Date.now() - 3000).toISOString() };
const LAGGING = /^数据更新于 [\d :-]+，\d+(秒|分钟)前；尚有 3 条变更未计入$/;
const CURRENT = /^数据更新于 [\d :-]+，\d+(秒|分钟)前$/;

function overdueItem(id: string, days: number): OverdueItem {
  return {
    id,
    code: `YS-2026-00${id}`,
    title: `超期问题${id}`,
    campaign_id: 'c1',
    category_id: null,
    lead_unit_id: 'A',
    lead_unit_name: '甲处',
    co_unit_ids: [],
    status: 'in_progress',
    deadline: '2026-10-30',
    original_deadline: null,
    days_overdue: days,
    max_escalation_level: 2,
  };
}

function meeting(id: string, period: string): MeetingOut {
  return {
    id,
    campaign_id: 'c1',
    period,
    created_at: '2026-11-20T02:00:00Z',
    created_by: 'office',
    as_of_seq: 40,
    figures: { total: 12, closed: 5, overdue: 2, closure_rate: 0.5, on_time_rate: 0.8 },
    changes: null,
    phases: [
      { phase_id: 'p1', phase_code: 'ZC', phase_name: '自查自纠', starts_on: '2026-08-01', ends_on: '2026-09-10', total: 8, open: 3, closed: 5, cancelled: 0, overdue: 1, closure_rate: 0.625, on_time_rate: 0.8 },
      { phase_id: null, phase_code: '', phase_name: '', starts_on: null, ends_on: null, total: 4, open: 4, closed: 0, cancelled: 0, overdue: 1, closure_rate: 0, on_time_rate: null },
    ],
    docx_url: `/api/v1/reports/meetings/${id}.docx`,
    xlsx_url: `/api/v1/reports/meetings/${id}.xlsx`,
  };
}

const summary = {
  total: 12, open: 7, closed: 5, cancelled: 0, overdue: 2, closure_rate: 0.5, on_time_rate: 0.8,
  on_time_rate_original: 0.6, satisfaction_rate: null, avg_working_days_to_close: 4, reopen_count: 0,
  escalations_by_level: {}, dissatisfied: 3, appeals: 1, ...fresh,
};

/** A report-api stand-in; meetings are kept so a created one shows up in the next list. */
function backend(me: object, createAnswer?: (call: RecordedCall) => Response) {
  setToken('tok');
  const meetings = [meeting('m1', '2026-10')];
  const overduePages: Record<string, object> = {
    first: { items: [overdueItem('1', 5), overdueItem('2', 12)], next_cursor: 'p2', total: 3, ...fresh },
    p2: { items: [overdueItem('3', 1)], next_cursor: null, total: 3, ...fresh },
  };
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'A', name: '甲处' }, { id: 'B', name: '乙处' }] }),
    'GET /api/v1/campaigns': () => json([{ id: 'c1', name: '优化营商环境' }, { id: 'c2', name: '作风整顿' }]),
    'GET /api/v1/campaigns/c1': () => json({ id: 'c1', name: '优化营商环境', categories: [] }),
    'GET /api/v1/campaigns/c2': () => json({ id: 'c2', name: '作风整顿', categories: [] }),
    'GET /api/v1/reports/summary': () => json(summary),
    'GET /api/v1/reports/units': () => json({ items: [], red_list: [], black_list: [], ...fresh }),
    'GET /api/v1/reports/trend': () => json({ granularity: 'week', items: [], ...fresh }),
    'GET /api/v1/reports/accountability': () =>
      json({
        units: [{ unit_id: 'B', unit_name: '乙处', issues: 2, red_cards: 1, repeated_returns: 1, repeated_rejections: 0 }],
        items: [
          {
            id: '7', code: 'YS-2026-0007', title: '推诿扯皮', lead_unit_id: 'B', lead_unit_name: '乙处', status: 'returned',
            deadline: '2026-09-30', max_escalation_level: 3, return_count: 3, reject_count: 0,
            reasons: ['red_card', 'repeated_returns'],
          },
        ],
        total: 1,
        as_of_seq: 42,
        lag_events: 0,
        checked_at: fresh.checked_at,
      }),
    'GET /api/v1/reports/overdue': (call) => json(overduePages[call.url.searchParams.get('cursor') ?? 'first']),
    'GET /api/v1/reports/meetings': () =>
      me === unitUser ? problem(403, { title: '没有权限', type: 'urn:rectify:forbidden' }) : json({ items: meetings }),
    'POST /api/v1/reports/meetings':
      createAnswer ??
      ((call) => {
        const created = meeting('m2', (call.body as { period: string }).period);
        meetings.unshift(created);
        return json(created, { status: 201 });
      }),
    'GET /api/v1/reports/meetings/m2.docx': () =>
      new Response(new Blob(['docx']), { headers: { 'Content-Disposition': "attachment; filename=\"meeting.docx\"" } }),
  });
}

async function chooseCampaign(user: ReturnType<typeof userEvent.setup>, name: string) {
  const boxes = screen.getAllByRole('combobox', { name: '专项行动' });
  await user.click(boxes[0]!);
  await user.click(await screen.findByTitle(name));
}

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:meeting');
  URL.revokeObjectURL = vi.fn();
});

describe('reports: overview', () => {
  it('counts the submitters not satisfied and their appeals beside the other figures', async () => {
    backend(leader);
    renderAt('/reports', <AppRoutes />);
    const card = (title: string) => screen.getByText(title).closest<HTMLElement>('.ant-statistic')!;
    await waitFor(() => expect(within(card('不满意')).getByText('3')).toBeInTheDocument(), { timeout: 20000 });
    expect(within(card('申诉')).getByText('1')).toBeInTheDocument();
  });
});

describe('reports: overdue list', () => {
  it('shows days overdue in working days, links each issue and says how fresh it is', async () => {
    const m = backend(leader);
    const user = userEvent.setup();
    renderAt('/reports?tab=overdue', <AppRoutes />);
    const link = await screen.findByRole('link', { name: /超期问题1/ });
    expect(link).toHaveAttribute('href', '/issues/1');
    expect(within(link.closest('tr')!).getByText('5 个工作日')).toBeInTheDocument();
    expect(screen.getByText('12 个工作日')).toBeInTheDocument();
    expect(screen.getByText(LAGGING)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '加载更多' }));
    expect(await screen.findByRole('link', { name: /超期问题3/ })).toHaveAttribute('href', '/issues/3');
    expect(m.find('GET', '/api/v1/reports/overdue').at(-1)?.url.searchParams.get('cursor')).toBe('p2');
  });
});

describe('reports: accountability', () => {
  it('lists the units and the issues to hold to account, with why each issue is listed', async () => {
    backend(leader);
    renderAt('/reports?tab=accountability', <AppRoutes />);
    const issue = await screen.findByRole('link', { name: /推诿扯皮/ });
    expect(issue).toHaveAttribute('href', '/issues/7');
    const row = issue.closest('tr')!;
    expect(within(row).getByText('已通报（红牌）')).toBeInTheDocument();
    expect(within(row).getByText('多次退回')).toBeInTheDocument();
    const unitRow = screen.getAllByText('乙处').map((cell) => cell.closest('tr')!).find((tr) => tr !== row)!;
    expect(within(unitRow).getAllByRole('cell').map((c) => c.textContent)).toEqual(['乙处', '2', '1', '1', '0']);
    expect(screen.getByText(CURRENT)).toBeInTheDocument();
  });
});

describe('reports: filters', () => {
  it('passes a chosen campaign to every report request and keeps it for the next section', async () => {
    const m = backend(office);
    const user = userEvent.setup();
    renderAt('/reports', <AppRoutes />);
    expect(await screen.findAllByText(LAGGING)).not.toHaveLength(0);
    await chooseCampaign(user, '作风整顿');
    for (const path of ['/api/v1/reports/summary', '/api/v1/reports/units', '/api/v1/reports/trend']) {
      await waitFor(() => expect(m.find('GET', path).some((c) => c.url.searchParams.get('campaign_id') === 'c2')).toBe(true));
    }
    await user.click(screen.getByRole('tab', { name: '超期清单' }));
    await waitFor(() =>
      expect(m.find('GET', '/api/v1/reports/overdue').some((c) => c.url.searchParams.get('campaign_id') === 'c2')).toBe(true),
    );
  });
});

describe('reports: meeting material', () => {
  it('creates a snapshot with {campaign_id, period} and offers its Word file', async () => {
    const m = backend(office);
    const user = userEvent.setup();
    renderAt('/reports/meetings', <AppRoutes />);
    expect(await screen.findByText('2026-10')).toBeInTheDocument();
    await chooseCampaign(user, '优化营商环境');
    const period = screen.getByRole('textbox', { name: '例会周期' });
    await user.clear(period);
    await user.type(period, '2026-11');
    await user.click(screen.getByRole('button', { name: '生成例会材料' }));
    await waitFor(() => expect(m.find('POST', '/api/v1/reports/meetings')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/reports/meetings')[0]!.body).toEqual({ campaign_id: 'c1', period: '2026-11' });

    const row = (await screen.findByText('2026-11')).closest('tr')!;
    expect(within(row).getByRole('button', { name: 'Excel' })).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: 'Word' }));
    await waitFor(() => expect(m.find('GET', '/api/v1/reports/meetings/m2.docx')).toHaveLength(1));
    const download = m.find('GET', '/api/v1/reports/meetings/m2.docx')[0]!;
    expect(download.url.searchParams.get('lang')).toBe('zh');
    expect(download.headers.get('Authorization')).toBe('Bearer tok');
  });

  it("shows a snapshot's progress by phase as it froze it, items without a phase last", async () => {
    backend(leader);
    const user = userEvent.setup();
    renderAt('/reports/meetings', <AppRoutes />);
    const row = (await screen.findByText('2026-10')).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: '查看进度' }));
    const dialog = await screen.findByRole('dialog', { name: '2026-10 例会材料：分阶段进度' });
    const rows = within(dialog).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['自查自纠', '2026-08-01 ~ 2026-09-10', '8', '5', '1'],
      ['未分阶段', '—', '4', '0', '1'],
    ]);
  });

  it('shows the problem when the API refuses the creation', async () => {
    const m = backend(office, () => problem(403, { title: '仅办公室和管理员可生成例会材料', type: 'urn:rectify:forbidden' }));
    const user = userEvent.setup();
    renderAt('/reports/meetings', <AppRoutes />);
    expect(await screen.findByText('2026-10')).toBeInTheDocument();
    await chooseCampaign(user, '优化营商环境');
    await user.click(screen.getByRole('button', { name: '生成例会材料' }));
    expect(await screen.findByText('仅办公室和管理员可生成例会材料')).toBeInTheDocument();
    expect(m.find('POST', '/api/v1/reports/meetings')).toHaveLength(1);
  });

  it('gives a unit user no creation form and shows the 403 of the list', async () => {
    const m = backend(unitUser);
    renderAt('/reports/meetings', <AppRoutes />);
    expect(await screen.findByText('没有权限')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '生成例会材料' })).toBeNull();
    expect(m.find('POST', '/api/v1/reports/meetings')).toHaveLength(0);
  });
});

describe('reports: menu', () => {
  it('offers 例会材料 to a leader, highlighted alone on its page', async () => {
    backend(leader);
    renderAt('/reports/meetings', <AppRoutes />);
    expect(await screen.findByText('2026-10')).toBeInTheDocument();
    const entry = screen.getByRole('menuitem', { name: '例会材料' });
    expect(entry).toHaveClass('ant-menu-item-selected');
    expect(screen.getByRole('menuitem', { name: '统计报表' })).not.toHaveClass('ant-menu-item-selected');
  });

  it('offers no 例会材料 entry to a unit user', async () => {
    backend(unitUser);
    renderAt('/reports', <AppRoutes />);
    expect(await screen.findByRole('menuitem', { name: '统计报表' })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: '例会材料' })).toBeNull();
  });
});

describe('reports: freshness', () => {
  it('says it cannot tell whether events are still to come when the lag is unknown', () => {
    renderAt('/', <Freshness value={{ as_of_seq: 42, lag_events: null, checked_at: null }} />);
    expect(screen.getByText('暂时无法确认数据是否最新')).toBeInTheDocument();
    expect(screen.queryByText(/42/)).toBeNull();
  });
});
