import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { EscalationOut } from '@/api/generated/openapi';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

const office = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const unitUser = { id: 'u2', username: 'A', display_name: '甲处经办人', role: 'unit', unit_id: 'A' };
const units = { items: [{ id: 'A', name: '甲处' }, { id: 'B', name: '乙处' }] };

function escalation(id: string, level: number, extra: Partial<EscalationOut> = {}): EscalationOut {
  return {
    id,
    issue_id: 'i9',
    issue_code: 'YS-2026-0009',
    issue_title: '窗口推诿',
    campaign_id: 'c1',
    unit_id: 'A',
    level,
    step: `step-${level}`,
    label: { zh: `第${level}级`, en: `level ${level}` },
    number: level === 2 || level === 3 ? `督〔2026〕${id}号` : null,
    deadline: '2026-03-01',
    fired_at: '2026-03-10T02:00:00Z',
    acknowledged_at: null,
    ...extra,
  };
}

const rows = [
  escalation('12', 2),
  escalation('13', 3),
  escalation('14', 4),
  escalation('15', 1),
  escalation('11', 2, { acknowledged_at: '2026-03-09T03:00:00Z' }),
  escalation('16', 3, { unit_id: 'B' }),
];

/** A notify-api stand-in: lists filter by unit/level like the API; 签收 sets acknowledged_at. */
function backend(me: object, ackAnswer?: (call: RecordedCall) => Response) {
  setToken('tok');
  const state = rows.map((r) => ({ ...r }));
  const list = (call: RecordedCall) => {
    const unit = me === unitUser ? 'A' : call.url.searchParams.get('unit_id');
    const level = call.url.searchParams.get('level');
    const awaiting = call.url.searchParams.get('awaiting_acknowledgement');
    const waits = (e: EscalationOut) => (e.level === 2 || e.level === 3) && e.acknowledged_at === null;
    const items = state.filter(
      (e) =>
        (!unit || e.unit_id === unit) &&
        (level === null || e.level === Number(level)) &&
        (awaiting === null || waits(e) === (awaiting === 'true')),
    );
    const limit = Number(call.url.searchParams.get('limit') ?? 50);
    return json({ items: items.slice(0, limit), next_cursor: null, total: items.length });
  };
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json(units),
    'GET /api/v1/escalations': list,
    'POST /api/v1/escalations/12/acknowledge':
      ackAnswer ??
      (() => {
        const row = state.find((e) => e.id === '12')!;
        row.acknowledged_at = '2026-03-11T01:00:00Z';
        return json(row);
      }),
  });
}

function rowOf(number: string): HTMLElement {
  const row = screen.getAllByText(number).map((cell) => cell.closest('tr')).find((tr) => tr !== null);
  if (!row) throw new Error(`no row for ${number}`);
  return row;
}

describe('escalations page', () => {
  it('lists every escalation with its level tag, notice number, issue, unit and acknowledgement', async () => {
    backend(office);
    renderAt('/escalations', <AppRoutes />);
    expect(await screen.findByRole('heading', { name: '督办通知' })).toBeInTheDocument();
    expect(await screen.findByText('督〔2026〕12号')).toBeInTheDocument();
    const yellow = within(rowOf('督〔2026〕12号')).getByText('督办（黄牌）');
    expect(yellow).toHaveClass('ant-tag-gold');
    expect(within(rowOf('督〔2026〕13号')).getByText('通报（红牌）')).toHaveClass('ant-tag-red');
    expect(screen.getByText('约谈/问责').closest('.ant-tag')).toHaveAttribute('data-level', '4');
    expect(screen.getByText('催办')).toBeInTheDocument();
    expect(within(rowOf('督〔2026〕12号')).getByText('未签收')).toHaveClass('ant-tag-red');
    expect(within(rowOf('督〔2026〕11号')).queryByText('未签收')).toBeNull();
    expect(within(rowOf('督〔2026〕16号')).getByText('乙处')).toBeInTheDocument();
    expect((await screen.findAllByRole('link', { name: 'YS-2026-0009 窗口推诿' }))[0]).toHaveAttribute('href', '/issues/i9');
  });

  it('gives the office the unit filter and no 签收 button', async () => {
    const m = backend(office);
    const user = userEvent.setup();
    renderAt('/escalations', <AppRoutes />);
    expect(await screen.findByText('督〔2026〕12号')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '阅读并签收' })).toBeNull();
    await user.click(screen.getByRole('combobox', { name: '责任单位' }));
    await user.click(await screen.findByTitle('乙处'));
    await waitFor(() => expect(m.find('GET', '/api/v1/escalations').some((c) => c.url.searchParams.get('unit_id') === 'B')).toBe(true));
    await waitFor(() => expect(screen.queryAllByText('督〔2026〕12号')).toHaveLength(0));
    expect(screen.getByText('督〔2026〕16号')).toBeInTheDocument();
    // the office reads a notice in full too, with nothing to sign
    await user.click(within(rowOf('督〔2026〕16号')).getByRole('button', { name: /查\s*看/ }));
    const notice = await screen.findByRole('dialog');
    expect(within(notice).getByTestId('notice-text')).toHaveTextContent('乙处： 关于 YS-2026-0009 「窗口推诿」，现发出通报（红牌）');
    expect(within(notice).queryByRole('button', { name: /签\s*收/ })).toBeNull();
  });

  it('lets a unit user sign only their open level 2/3 notices, after confirming', async () => {
    const m = backend(unitUser);
    const user = userEvent.setup();
    renderAt('/escalations', <AppRoutes />);
    expect(await screen.findByText('督〔2026〕12号')).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: '责任单位' })).toBeNull();
    expect(screen.queryByText('督〔2026〕16号')).toBeNull();
    expect(within(rowOf('督〔2026〕12号')).getByRole('button', { name: '阅读并签收' })).toBeInTheDocument();
    expect(within(rowOf('督〔2026〕13号')).getByRole('button', { name: '阅读并签收' })).toBeInTheDocument();
    expect(within(rowOf('督〔2026〕11号')).queryByRole('button', { name: '阅读并签收' })).toBeNull();
    expect(within(screen.getByText('约谈/问责').closest('tr')!).queryByRole('button', { name: '阅读并签收' })).toBeNull();
    expect(within(screen.getByText('催办').closest('tr')!).queryByRole('button', { name: '阅读并签收' })).toBeNull();
    // the notices to sign come first, in their own section
    const [waiting, others] = screen.getAllByRole('region');
    expect(within(waiting!).getByRole('heading', { name: '待签收 (2)' })).toBeInTheDocument();
    expect(within(waiting!).getByText('督〔2026〕12号')).toBeInTheDocument();
    expect(within(waiting!).queryByText('督〔2026〕11号')).toBeNull();
    expect(within(others!).getByText('督〔2026〕11号')).toBeInTheDocument();
    // the menu badge: 12 and 13 wait for 签收
    await waitFor(() => expect(document.querySelector('.ant-menu .ant-badge')).toHaveTextContent('2'));

    await user.click(within(rowOf('督〔2026〕12号')).getByRole('button', { name: '阅读并签收' }));
    // the notice in full before 签收: number, level, issue, what to do
    const notice = await screen.findByRole('dialog');
    expect(within(notice).getByTestId('notice-text')).toHaveTextContent(
      '甲处： 关于 YS-2026-0009 「窗口推诿」，现发出督办（黄牌）（第2级）。整改时限为 2026-03-01。请认真阅读本通知并签收（督〔2026〕12号）',
    );
    expect(within(notice).getByRole('link', { name: 'YS-2026-0009 窗口推诿' })).toHaveAttribute('href', '/issues/i9');
    expect(m.find('POST', '/api/v1/escalations/12/acknowledge')).toHaveLength(0);
    await user.click(within(notice).getByRole('button', { name: /签\s*收/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/escalations/12/acknowledge')).toHaveLength(1));
    await waitFor(() => expect(within(rowOf('督〔2026〕12号')).getByText('2026-03-11', { exact: false })).toBeInTheDocument());
    expect(within(rowOf('督〔2026〕12号')).queryByText('未签收')).toBeNull();
    expect(within(rowOf('督〔2026〕12号')).queryByRole('button', { name: '阅读并签收' })).toBeNull();
    expect(within(screen.getAllByRole('region')[0]!).getByRole('heading', { name: '待签收 (1)' })).toBeInTheDocument();
    await waitFor(() => expect(document.querySelector('.ant-menu .ant-badge')).toHaveTextContent('1'));
  });

  it('shows a 409 problem answer to 签收', async () => {
    backend(unitUser, () =>
      problem(409, { title: '该提醒无需签收', detail: 'level 1 needs no acknowledgement', code: 'escalation-not-acknowledgeable' }),
    );
    const user = userEvent.setup();
    renderAt('/escalations', <AppRoutes />);
    expect(await screen.findByText('督〔2026〕12号')).toBeInTheDocument();
    await user.click(within(rowOf('督〔2026〕12号')).getByRole('button', { name: '阅读并签收' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: /签\s*收/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    expect(await screen.findByText('当前状态下不能执行此操作（409）。')).toBeInTheDocument();
    expect(screen.getByText(/该提醒无需签收 — level 1 needs no acknowledgement/)).toBeInTheDocument();
    expect(within(rowOf('督〔2026〕12号')).getByText('未签收')).toBeInTheDocument();
  });

  it('asks the API for the notices awaiting acknowledgement only', async () => {
    const m = backend(office);
    const user = userEvent.setup();
    renderAt('/escalations', <AppRoutes />);
    expect(await screen.findByText('督〔2026〕11号')).toBeInTheDocument();
    await user.click(screen.getByRole('switch', { name: '只看未签收' }));
    await waitFor(() => expect(screen.queryByText('督〔2026〕11号')).toBeNull());
    expect(screen.getByText('督〔2026〕12号')).toBeInTheDocument();
    expect(screen.queryByText('催办')).toBeNull();
    expect(screen.queryByRole('heading', { name: /其他通知/ })).toBeNull();
    const lists = m.find('GET', '/api/v1/escalations');
    expect(lists.some((c) => c.url.searchParams.get('awaiting_acknowledgement') === 'true')).toBe(true);
  });
});

describe('issue escalations', () => {
  it('lists the issue escalations on its page with 签收 for the unit', async () => {
    setToken('tok');
    const issue = { id: 'i9', code: 'YS-2026-0009', title: '窗口推诿', status: 'in_progress', lead_unit_id: 'A', co_unit_ids: [], allowed_actions: [], version: 1 };
    const m = mockFetch({
      'GET /api/v1/auth/me': () => json(unitUser),
      'GET /api/v1/units': () => json(units),
      'GET /api/v1/issues/i9': () => json(issue, { headers: { ETag: '"1"' } }),
      'GET /api/v1/issues/i9/timeline': () => json({ items: [] }),
      'GET /api/v1/issues/i9/extension-requests': () => json([]),
      'GET /api/v1/escalations': () => json({ items: [escalation('12', 2), escalation('15', 1)], next_cursor: null, total: 2 }),
      'POST /api/v1/escalations/12/acknowledge': () => json({ ...escalation('12', 2), acknowledged_at: '2026-03-11T01:00:00Z' }),
    });
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    expect(await screen.findByText('督办记录')).toBeInTheDocument();
    expect(await screen.findByText('督〔2026〕12号')).toBeInTheDocument();
    expect(m.find('GET', '/api/v1/escalations').some((c) => c.url.searchParams.get('issue_id') === 'i9')).toBe(true);
    const buttons = screen.getAllByRole('button', { name: '阅读并签收' });
    expect(buttons).toHaveLength(1);
    await user.click(buttons[0]!);
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: /签\s*收/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/escalations/12/acknowledge')).toHaveLength(1));
  });
});
