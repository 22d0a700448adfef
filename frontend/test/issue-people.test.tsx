import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import { issueDetail } from './factories';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const clerk = { id: 'u2', username: 'KJT-A', display_name: '甲处经办人', role: 'unit', unit_id: 'A' };
const subtask = {
  id: 's1', issue_id: 'i9', unit_id: 'A', unit_name: '甲处', title: '梳理材料清单', assignee_id: 'p2', assignee_name: '王芳',
  deadline: '2026-12-15', percent: 40, note: '已梳理一半', done: false, done_at: null, created_at: '2026-11-25T02:00:00Z',
  updated_at: '2026-11-26T02:00:00Z', past_item_deadline: false, can_edit: true,
};

function backend() {
  setToken('tok');
  const issue = issueDetail({
    id: 'i9', code: 'YS-2017-0009', title: '窗口推诿', status: 'in_progress', lead_unit_id: 'A', co_unit_ids: ['B'],
    co_units: [{ unit_id: 'B', status: 'accepted' }], deadline: '2026-12-31', allowed_actions: ['progress'],
    subtask_total: 1, subtask_done: 0, subtask_progress: 40,
  });
  return mockFetch({
    'GET /api/v1/auth/me': () => json(clerk),
    'GET /api/v1/units': () => json({ items: [{ id: 'A', name: '甲处' }, { id: 'B', name: '乙处' }] }),
    'GET /api/v1/issues/i9': () => json(issue, { headers: { ETag: '"3"' } }),
    'GET /api/v1/issues/i9/timeline': () => json({ items: [] }),
    'GET /api/v1/issues/i9/extension-requests': () => json([]),
    'GET /api/v1/issues/i9/assignees': () =>
      json([
        { unit_id: 'A', unit_name: '甲处', relation: 'lead', user_id: null, display_name: null, named_at: null, can_name: true },
        { unit_id: 'B', unit_name: '乙处', relation: 'co', user_id: 'p9', display_name: '李华', named_at: '2026-11-25T02:00:00Z', can_name: false },
      ]),
    'GET /api/v1/units/A/staff': () => json([{ id: 'p1', display_name: '张明' }, { id: 'p2', display_name: '王芳' }]),
    'PUT /api/v1/issues/i9/assignees/A': () => json([]),
    'GET /api/v1/issues/i9/subtasks': () => json([subtask]),
    'POST /api/v1/issues/i9/subtasks/s1/progress': () => json({ ...subtask, percent: 100, done: true }),
  });
}

describe('责任人 and 子任务 on the issue page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lets the unit name its own person by name, shows the co-unit’s, and rolls the sub-tasks up', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    expect(await screen.findByText('子任务进度 40%（已完成 0/1）')).toBeInTheDocument();
    expect(await screen.findByText('李华')).toBeInTheDocument();
    // the co-unit's person is shown, not chosen: only the lead unit (the caller's) has a selector
    expect(screen.queryByRole('combobox', { name: '乙处的责任人' })).toBeNull();
    await user.click(await screen.findByRole('combobox', { name: '甲处的责任人' }));
    await user.click(await screen.findByTitle('张明'));
    await waitFor(() => expect(m.find('PUT', '/api/v1/issues/i9/assignees/A')).toHaveLength(1));
    expect(m.find('PUT', '/api/v1/issues/i9/assignees/A')[0]?.body).toEqual({ user_id: 'p1' });
    expect(screen.queryByText(/KJT-A/)).toBeNull();

    const item = (await screen.findAllByTestId('subtask-item'))[0] as HTMLElement;
    expect(within(item).getByText('王芳')).toBeInTheDocument();
    await user.click(within(item).getByRole('button', { name: /报进展/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('switch'));
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/i9/subtasks/s1/progress')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/issues/i9/subtasks/s1/progress')[0]?.body).toEqual({ percent: 100, note: '已梳理一半', done: true });
  });

  it('splits off a sub-task for one of the unit’s people, due no later than the item', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '分解子任务' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('不晚于事项整改时限 2026-12-31')).toBeInTheDocument();
    // the caller's unit is the only one it may split: no unit to choose
    expect(within(dialog).queryByLabelText('所属单位')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    // antd shows each field's error when its own validation settles: wait for all three, not the first
    await waitFor(() => expect(within(dialog).getAllByText('请填写')).toHaveLength(3));
    expect(m.find('POST', '/api/v1/issues/i9/subtasks')).toHaveLength(0);
  });
});
