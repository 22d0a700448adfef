import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import type { IssueOut } from '@/api/generated/openapi';
import { setToken } from '@/api/token';
import { issueOut } from './factories';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const me = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };

function issue(n: number, extra: Partial<IssueOut> = {}) {
  return issueOut({
    id: `i${n}`,
    code: `YS-2026-000${n}`,
    source: 'public',
    title: `问题${n}`,
    description: '',
    status: 'in_progress',
    lead_unit_id: 'unit-a',
    deadline: '2999-09-30',
    created_at: '2026-08-01T00:00:00Z',
    ...extra,
  });
}

function signedIn(routes: Parameters<typeof mockFetch>[0]) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'unit-a', name: '政策法规与监督处' }] }),
    'GET /api/v1/issues': () => json({ items: [issue(1), issue(2, { status: 'closed' })], next_cursor: null, total: 2 }),
    'GET /api/v1/issues/saved-views': () => json([]),
    ...routes,
  });
}

describe('the office works the ledger', () => {
  it('urges the ticked rows in one request and shows what happened to each', async () => {
    const m = signedIn({
      'POST /api/v1/issues/batch/urge': () =>
        json({
          action: 'urge',
          succeeded: 1,
          failed: 1,
          results: [
            { issue_id: 'i1', ok: true, code: 'YS-2026-0001', status: 'in_progress', problem: null },
            {
              issue_id: 'i2',
              ok: false,
              code: 'YS-2026-0002',
              status: null,
              problem: { status: 409, code: 'illegal-transition', title: '当前状态不允许此操作' },
            },
          ],
        }),
    });
    const user = userEvent.setup();
    renderAt('/issues', <AppRoutes />);
    for (const title of ['问题1', '问题2']) {
      const row = (await screen.findByText(title)).closest('tr') as HTMLElement;
      await user.click(within(row).getByRole('checkbox'));
    }
    const bar = await screen.findByTestId('batch-bar');
    expect(bar).toHaveTextContent('已选 2 项');
    await user.click(within(bar).getByRole('button', { name: '成批催办' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('催办内容'), '请于本周内报送进展');
    await user.click(within(dialog).getByRole('button', { name: '成批催办' }));
    const outcome = await screen.findByTestId('batch-outcome');
    expect(outcome).toHaveTextContent('成功 1 项，未成功 1 项');
    expect(outcome).toHaveTextContent('YS-2026-0002');
    expect(outcome).toHaveTextContent('当前状态不允许此操作');
    expect(m.find('POST', '/api/v1/issues/batch/urge')[0]?.body).toEqual({ issue_ids: ['i1', 'i2'], content: '请于本周内报送进展' });
  });

  it('applies a saved view and saves the current filters as one', async () => {
    const m = signedIn({
      'GET /api/v1/issues/saved-views': () =>
        json([{ id: 'v1', name: '超期未办结', filters: { overdue: true, open: true, sort: 'urgency' }, created_at: '2026-12-01T00:00:00Z' }]),
      'POST /api/v1/issues/saved-views': () =>
        json({ id: 'v2', name: '我的', filters: { q: '审批' }, created_at: '2026-12-02T00:00:00Z' }, { status: 201 }),
    });
    const user = userEvent.setup();
    renderAt('/issues?q=审批', <AppRoutes />);
    await screen.findByText('问题1');
    await user.click(screen.getByRole('button', { name: '保存当前筛选' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('名称'), '我的');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/saved-views')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/issues/saved-views')[0]?.body).toEqual({ name: '我的', filters: { q: '审批' } });

    await user.click(screen.getByRole('combobox', { name: '常用筛选' }));
    await user.click(await screen.findByTitle('超期未办结'));
    await waitFor(() => {
      const last = m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams;
      expect(last?.get('overdue')).toBe('true');
      expect(last?.get('open')).toBe('true');
      expect(last?.get('q')).toBeNull();
    });
  });
});
