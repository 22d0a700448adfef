import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';
import { PHONE_QUERY } from '@/shared/hooks/use-is-phone';

const me = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };

function issue(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: `i${n}`,
    code: `YS-2017-00${n}`,
    campaign_id: 'c1',
    kind: 'problem',
    source: 'public',
    title: `问题${n}`,
    description: '',
    status: 'in_progress',
    lead_unit_id: 'unit-a',
    deadline: '2017-09-30',
    progress_percent: 40,
    created_at: '2017-08-01T00:00:00Z',
    ...extra,
  };
}

function signedIn(routes: Parameters<typeof mockFetch>[0]) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'unit-a', name: '政策法规与监督处' }] }),
    ...routes,
  });
}

describe('issue ledger list', () => {
  it('passes URL filters to the API and renders rows with Chinese status, unit name, traffic light and total', async () => {
    const m = signedIn({
      'GET /api/v1/issues': () =>
        json({ items: [issue(1, { overdue: true }), issue(2, { status: 'pending_review', deadline: '2999-12-31' })], next_cursor: null, total: 2 }),
    });
    renderAt('/issues?status=in_progress&overdue=true&q=审批', <AppRoutes />);

    const row = (await screen.findByText('问题1')).closest('tr');
    expect(row).not.toBeNull();
    expect(within(row as HTMLElement).getByText('整改中')).toBeInTheDocument();
    expect(await within(row as HTMLElement).findByText(/超期 \d+ 个工作日/)).toBeInTheDocument();
    expect(await within(row as HTMLElement).findByText('政策法规与监督处')).toBeInTheDocument();
    const row2 = screen.getByText('问题2').closest('tr') as HTMLElement;
    expect(within(row2).getByText('待审核')).toBeInTheDocument();
    expect(within(row2).queryByText(/超期/)).toBeNull();
    expect(within(row2).getByText(/剩余 \d+ 个工作日/)).toBeInTheDocument();
    expect(screen.getByTestId('issue-total')).toHaveTextContent('共 2 条');

    const url = m.find('GET', '/api/v1/issues')[0]?.url;
    expect(url?.searchParams.get('status')).toBe('in_progress');
    expect(url?.searchParams.get('overdue')).toBe('true');
    expect(url?.searchParams.get('q')).toBe('审批');
    // urgency first unless the user sorts otherwise; the first page
    expect(url?.searchParams.get('sort')).toBe('urgency');
    expect(url?.searchParams.get('offset')).toBe('0');
    expect(url?.searchParams.get('limit')).toBe('20');
  });

  it('jumps to a page by its number and through the quick jumper (offset)', async () => {
    const m = signedIn({
      'GET /api/v1/issues': (call) => {
        const offset = Number(call.url.searchParams.get('offset'));
        return json({ items: [issue(offset + 1)], next_cursor: null, total: 120 });
      },
    });
    const user = userEvent.setup();
    renderAt('/issues', <AppRoutes />);
    await screen.findByText('问题1');
    await user.click(screen.getByTitle('3'));
    expect(await screen.findByText('问题41')).toBeInTheDocument();
    const input = document.querySelector('.ant-pagination-options-quick-jumper input') as HTMLInputElement;
    await user.type(input, '5');
    fireEvent.keyUp(input, { key: 'Enter', keyCode: 13 });
    fireEvent.blur(input);
    expect(await screen.findByText('问题81')).toBeInTheDocument();
    const offsets = m.find('GET', '/api/v1/issues').map((c) => c.url.searchParams.get('offset'));
    expect(offsets).toEqual(expect.arrayContaining(['0', '40', '80']));
  });

  it('searching updates the query sent to the API', async () => {
    const m = signedIn({ 'GET /api/v1/issues': () => json({ items: [], next_cursor: null, total: 0 }) });
    const user = userEvent.setup();
    renderAt('/issues', <AppRoutes />);
    await screen.findByText('暂无符合条件的问题');
    await user.type(screen.getByPlaceholderText('搜索编号、标题或内容'), '营业执照{Enter}');
    await waitFor(() =>
      expect(m.find('GET', '/api/v1/issues').some((c) => c.url.searchParams.get('q') === '营业执照')).toBe(true),
    );
  });

  it('shows a clear message, not a blank page, when the issues API is down (503)', async () => {
    signedIn({ 'GET /api/v1/issues': () => problem(503, { title: 'Service Unavailable', detail: 'issues-api is down' }) });
    renderAt('/issues', <AppRoutes />);
    expect(await screen.findByText('后端服务暂时不可用（503），请稍后再试。')).toBeInTheDocument();
    expect(screen.getByText(/issues-api is down/)).toBeInTheDocument();
  });
});

describe('the ledger list\'s 责任人 column', () => {
  afterEach(() => vi.unstubAllGlobals());

  const named = [
    issue(1, {
      co_unit_ids: ['unit-b'],
      responsible: [
        { unit_id: 'unit-a', user_id: 'p1', display_name: '张明' },
        { unit_id: 'unit-b', user_id: 'p2', display_name: '李华' },
      ],
    }),
    issue(2, { responsible: [] }),
  ];

  it('names each unit\'s responsible person, lead first, and says 未指定 where no one was named', async () => {
    signedIn({ 'GET /api/v1/issues': () => json({ items: named, next_cursor: null, total: 2 }) });
    renderAt('/issues', <AppRoutes />);
    const row = (await screen.findByText('问题1')).closest('tr') as HTMLElement;
    expect(screen.getByRole('columnheader', { name: '责任人' })).toBeInTheDocument();
    const people = within(row).getByText('张明、李华');
    expect(people).toHaveAttribute('title', '政策法规与监督处：张明；unit-b：李华');
    const row2 = screen.getByText('问题2').closest('tr') as HTMLElement;
    expect(within(row2).getByText('未指定')).toBeInTheDocument();
  });

  it('on a 390 px phone is a wrapping field of each item\'s card, not a column of a table to scroll sideways', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      media: query,
      matches: query === PHONE_QUERY,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
    }));
    signedIn({ 'GET /api/v1/issues': () => json({ items: named, next_cursor: null, total: 2 }) });
    const { container } = renderAt('/issues', <AppRoutes />);
    await screen.findByText('问题1');
    expect(container.querySelector('.ant-table')).toBeNull();
    expect(screen.queryByRole('columnheader', { name: '责任人' })).toBeNull();
    const card = screen.getByText('问题1').closest('.ant-card') as HTMLElement;
    const field = [...card.querySelectorAll<HTMLElement>('.ant-descriptions-item')].find(
      (item) => item.querySelector('.ant-descriptions-item-label')?.textContent === '责任人',
    );
    const value = field?.querySelector<HTMLElement>('.ant-descriptions-item-content');
    expect(value).toHaveTextContent('张明、李华');
    expect(value?.style.overflowWrap).toBe('anywhere');
  });
});
