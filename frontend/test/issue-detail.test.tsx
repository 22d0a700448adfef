import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

const me = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const issue = {
  id: 'i9',
  code: 'YS-2017-0009',
  campaign_id: 'c1',
  kind: 'problem',
  source: 'inspection',
  title: '窗口推诿',
  description: '企业反映',
  status: 'pending_review',
  lead_unit_id: 'A',
  co_unit_ids: ['B'],
  co_units: [{ unit_id: 'B', status: 'filed' }],
  category_id: null,
  cause: null,
  measures: null,
  requirements: null,
  city: 'TS',
  progress_percent: 100,
  reopen_count: 0,
  return_count: 0,
  flagged: false,
  satisfaction: null,
  rating: null,
  overdue: false,
  assigned_at: '2026-01-01T00:00:00Z',
  accepted_at: '2026-01-02T00:00:00Z',
  submitted_at: '2026-02-02T00:00:00Z',
  closed_at: null,
  cancelled_at: null,
  last_progress_at: '2026-02-01T00:00:00Z',
  deadline: '2999-01-01',
  original_deadline: '2998-06-30',
  deadline_history: [
    { deadline: '2998-06-30', kind: 'initial', at: '2026-01-01T00:00:00Z' },
    { deadline: '2999-01-01', kind: 'extension', at: '2026-02-01T00:00:00Z' },
  ],
  created_at: '2026-01-01T00:00:00Z',
  version: 7,
  allowed_actions: ['close', 'reject_completion'],
};

function backend(stepAnswer: () => Response) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () =>
      json({ items: [{ id: 'A', name: '甲处' }, { id: 'B', name: '乙处' }, { id: 'T', code: 'TS', name: '唐山市', kind: 'city' }] }),
    'GET /api/v1/issues/i9': () => json(issue, { headers: { ETag: '"7"' } }),
    'GET /api/v1/issues/i9/timeline': () =>
      json({
        items: [
          {
            seq: 2,
            type: 'issue.accepted',
            occurred_at: '2026-01-02T00:00:00Z',
            actor: { kind: 'system', id: null, username: 'demo', role: 'unit', unit_id: 'A', display_name: null, unit_name: '甲处' },
            data: {},
          },
          {
            seq: 3,
            type: 'issue.completion_submitted',
            occurred_at: '2026-02-02T00:00:00Z',
            actor: { kind: 'user', id: 'u7', username: 'KJT-GX', role: 'unit', unit_id: 'A', display_name: '张三', unit_name: '甲处' },
            data: { summary: '已全部整改' },
          },
        ],
      }),
    'GET /api/v1/issues/i9/extension-requests': () =>
      json([{ id: 'x1', new_deadline: '2999-01-01', reason: '涉及多部门', status: 'approved', requested_at: '2026-01-20T00:00:00Z', decided_at: '2026-02-01T00:00:00Z', comment: null }]),
    'POST /api/v1/issues/i9/reject-completion': stepAnswer,
  });
}

describe('issue detail', () => {
  it('shows fields, deadline history, co-unit parts, timeline and only the allowed actions', async () => {
    backend(() => json({}));
    renderAt('/issues/i9', <AppRoutes />);
    expect(await screen.findByText(/YS-2017-0009 窗口推诿/)).toBeInTheDocument();
    expect(screen.getByText('2998-06-30')).toBeInTheDocument();
    expect(screen.getAllByText('延期').length).toBeGreaterThan(0);
    expect(await screen.findByText('已全部整改')).toBeInTheDocument();
    expect(screen.getByText('已报送')).toBeInTheDocument();
    expect(await screen.findByText(/涉及多部门/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '审核销号' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '审核不通过' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^交\s*办$/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^撤\s*销$/ })).toBeNull();
    expect(screen.queryByText(/推断/)).toBeNull();
  });

  it('names people, units, cities and a missing category as people read them, never by code', async () => {
    backend(() => json({}));
    renderAt('/issues/i9', <AppRoutes />);
    expect(await screen.findByText(/张三（甲处）/)).toBeInTheDocument();
    expect(screen.getAllByText(/甲处/).length).toBeGreaterThan(1);
    expect(screen.queryByText(/KJT-GX|demo/)).toBeNull();
    expect(await screen.findByText('唐山市')).toBeInTheDocument();
    expect(screen.queryByText('TS')).toBeNull();
    expect(screen.getByText('未分类')).toBeInTheDocument();
  });

  it('offers no edit to a unit user and no step the API does not allow', async () => {
    setToken('tok');
    const unitUser = { id: 'u2', username: 'A', display_name: '甲处经办人', role: 'unit', unit_id: 'A' };
    mockFetch({
      'GET /api/v1/auth/me': () => json(unitUser),
      'GET /api/v1/units': () => json({ items: [{ id: 'A', name: '甲处' }] }),
      'GET /api/v1/issues/i9': () => json({ ...issue, allowed_actions: [] }, { headers: { ETag: '"7"' } }),
      'GET /api/v1/issues/i9/timeline': () => json({ items: [] }),
      'GET /api/v1/issues/i9/extension-requests': () => json([]),
    });
    renderAt('/issues/i9', <AppRoutes />);
    expect(await screen.findByText('当前没有可执行的操作')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /返\s*回/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /编\s*辑/ })).toBeNull();
  });

  it('posts a workflow step with its reason and refreshes the issue', async () => {
    const m = backend(() => json({ ...issue, status: 'in_progress' }));
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '审核不通过' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('原因'), '证据不足');
    // the dialog's button names the step it takes
    await user.click(within(dialog).getByRole('button', { name: '审核不通过' }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/i9/reject-completion')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/issues/i9/reject-completion')[0]?.body).toEqual({ reason: '证据不足' });
    await waitFor(() => expect(m.find('GET', '/api/v1/issues/i9').length).toBeGreaterThan(1));
  });

  it('shows the 409 problem with the current status and the allowed steps', async () => {
    backend(() =>
      problem(409, { title: '状态冲突', detail: 'illegal transition', current_status: 'closed', allowed_actions: ['reopen'] }),
    );
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '审核不通过' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('原因'), 'x');
    await user.click(within(dialog).getByRole('button', { name: '审核不通过' }));
    expect(await screen.findByText('当前状态下不能执行此操作（409）。')).toBeInTheDocument();
    expect(screen.getByText(/当前状态：已销号/)).toBeInTheDocument();
    expect(screen.getByText(/允许的操作：重新打开/)).toBeInTheDocument();
  });

  it('says the item is missing instead of a blank page on 404', async () => {
    setToken('tok');
    mockFetch({ 'GET /api/v1/auth/me': () => json(me) });
    renderAt('/issues/nope', <AppRoutes />);
    expect(await screen.findByText('该功能的接口尚未上线或资源不存在（404）。')).toBeInTheDocument();
  });
});
