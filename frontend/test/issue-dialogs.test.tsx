import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import { arrangeSteps } from '@/features/issues/api/issue-actions';
import { createBody } from '@/features/issues/components/issue-form-pages';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

interface Me { id: string; username: string; display_name: string; role: string; unit_id: string | null }
const office: Me = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const clerk: Me = { id: 'u2', username: 'clerk', display_name: '李明', role: 'unit', unit_id: 'A' };

const issue = {
  id: 'i9',
  code: 'YS-2026-0009',
  campaign_id: 'c1',
  kind: 'problem',
  source: 'inspection',
  title: '窗口推诿',
  description: '企业反映',
  status: 'in_progress',
  lead_unit_id: 'A',
  co_unit_ids: ['B'],
  co_units: [{ unit_id: 'B', status: 'pending' }],
  requirements: '一个月内整改到位',
  progress_percent: 10,
  deadline: '2999-01-01',
  original_deadline: '2999-01-01',
  deadline_history: [],
  created_at: '2026-01-01T00:00:00Z',
  version: 3,
  allowed_actions: ['urge', 'decide_extension', 'cancel', 'reassign'],
};

function backend(me: Me, detail: Record<string, unknown>, routes: Parameters<typeof mockFetch>[0] = {}) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'A', name: '甲处' }, { id: 'B', name: '乙处' }] }),
    'GET /api/v1/issues/i9': () => json({ ...issue, ...detail }, { headers: { ETag: '"3"' } }),
    'GET /api/v1/issues/i9/timeline': () => json({ items: [] }),
    'GET /api/v1/issues/i9/extension-requests': () =>
      json([
        {
          id: 'e1',
          new_deadline: '2999-02-01',
          reason: '涉及多部门系统对接',
          status: 'pending',
          requested_by: 'u2',
          requested_by_name: '李明',
          requested_at: '2026-11-30T07:00:00Z',
          decided_at: null,
          comment: null,
        },
      ]),
    ...routes,
  });
}

describe('dialogs that help', () => {
  it('puts the step that moves the issue on first as primary and 撤销 apart', () => {
    expect(arrangeSteps(['urge', 'decide_extension', 'cancel', 'reassign'])).toEqual({
      primary: 'decide_extension',
      others: ['urge', 'reassign'],
      destructive: ['cancel'],
    });
    expect(arrangeSteps(['cancel']).primary).toBeNull();
  });

  it('decides the extension request it shows (date, reason, who), with no picking', async () => {
    const m = backend(office, {}, { 'POST /api/v1/issues/i9/extension-requests/e1/decision': () => json(issue) });
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    const primary = await screen.findByRole('button', { name: '审批延期' });
    expect(primary).toHaveClass('ant-btn-primary');
    const apart = screen.getByTestId('destructive-actions');
    expect(within(apart).getByRole('button', { name: /^撤\s*销$/ })).toHaveClass('ant-btn-dangerous');
    await user.click(primary);
    const request = await screen.findByTestId('pending-extension');
    expect(request).toHaveTextContent('2999-02-01');
    expect(request).toHaveTextContent('涉及多部门系统对接');
    expect(request).toHaveTextContent('李明');
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).queryByRole('combobox')).toBeNull();
    await user.click(within(dialog).getByLabelText('同意延期'));
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/i9/extension-requests/e1/decision')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/issues/i9/extension-requests/e1/decision')[0]?.body).toEqual({ approved: true });
  });

  it('shows the unit what it accepts and sends its note', async () => {
    const m = backend(clerk, { status: 'assigned', allowed_actions: ['accept', 'return'] }, { 'POST /api/v1/issues/i9/accept': () => json(issue) });
    const user = userEvent.setup();
    renderAt('/issues/i9', <AppRoutes />);
    const accept = await screen.findByRole('button', { name: /^接\s*收$/ });
    expect(accept).toHaveClass('ant-btn-primary');
    await user.click(accept);
    const summary = await screen.findByTestId('accept-summary');
    expect(summary).toHaveTextContent('窗口推诿');
    expect(summary).toHaveTextContent('2999-01-01');
    expect(await within(summary).findByText('乙处')).toBeInTheDocument();
    expect(summary).toHaveTextContent('一个月内整改到位');
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('备注（选填）'), '由审批科承办');
    await user.click(within(dialog).getByRole('button', { name: /^接\s*收$/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/i9/accept')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/issues/i9/accept')[0]?.body).toEqual({ note: '由审批科承办' });
  });

  it('opens 交办 at once after 受理登记, with deadline presets in working days', async () => {
    const m = backend(office, { status: 'registered', lead_unit_id: null, co_unit_ids: [], co_units: [], deadline: null, allowed_actions: ['assign', 'cancel'] }, {
      'POST /api/v1/issues/i9/assign': () => json(issue),
    });
    const user = userEvent.setup();
    renderAt('/issues/i9?step=assign', <AppRoutes />);
    const dialog = await screen.findByRole('dialog');
    const presets = await within(dialog).findByTestId('deadline-presets');
    const five = within(presets).getByRole('button', { name: /^5 个工作日（/ });
    await waitFor(() => expect(five).toBeEnabled());
    expect(within(presets).getByRole('button', { name: /^30 个工作日（/ })).toBeInTheDocument();
    await user.click(five);
    await user.click(within(dialog).getByLabelText('责任单位'));
    await user.click(await screen.findByTitle('甲处'));
    await user.click(within(dialog).getByRole('button', { name: /^交\s*办$/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/i9/assign')).toHaveLength(1));
    const body = m.find('POST', '/api/v1/issues/i9/assign')[0]?.body as { lead_unit_id: string; deadline: string };
    expect(body.lead_unit_id).toBe('A');
    // five working days after today: a weekday, at least 5 and at most 11 calendar days on (weekends, holidays)
    const days = dayjs(body.deadline).diff(dayjs().startOf('day'), 'day');
    expect(days).toBeGreaterThanOrEqual(5);
    expect([0, 6]).not.toContain(dayjs(body.deadline).day());
  });

  it('creates and assigns in one body when a lead unit is chosen', () => {
    const base = { campaign_id: 'c1', title: 't', description: 'd', kind: 'problem', source: 'inspection' } as const;
    expect(createBody({ ...base, category_id: undefined })).toEqual(base);
    expect(
      createBody({ ...base, assign: { lead_unit_id: 'A', co_unit_ids: ['B'], deadline: dayjs('2027-01-15'), requirements: ' 按期 ' } }),
    ).toEqual({ ...base, assign: { lead_unit_id: 'A', co_unit_ids: ['B'], deadline: '2027-01-15', requirements: '按期' } });
    expect(createBody({ ...base, assign: { lead_unit_id: undefined } })).toEqual(base);
  });
});
