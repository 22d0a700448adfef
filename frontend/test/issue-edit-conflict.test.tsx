import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

const me = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const opened = {
  id: 'i9',
  code: 'YS-2017-0009',
  campaign_id: 'c1',
  kind: 'problem',
  source: 'inspection',
  title: '窗口推诿',
  description: '企业反映',
  status: 'in_progress',
  category_id: null,
  cause: null,
  measures: '限期整改',
  city: null,
  created_at: '2026-01-01T00:00:00Z',
  version: 7,
  allowed_actions: [],
};
/** what a colleague saved while the form was open */
const theirs = { ...opened, version: 8, city: 'HZ', category_id: 'k2', measures: '限期整改' };

/** issues-api's issue: PATCH honours If-Match like rectify_kit.etag.require_if_match. */
function backend() {
  setToken('tok');
  let stored: Record<string, unknown> = { ...opened };
  const etag = () => `"${String(stored.version)}"`;
  const m = mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'u-hz', code: 'HZ', name: '杭州市', kind: 'city' }] }),
    'GET /api/v1/campaigns/c1': () =>
      json({ id: 'c1', name: '营商环境', categories: [{ id: 'k1', name: '执法' }, { id: 'k2', name: '审批服务' }] }),
    'GET /api/v1/issues/i9': () => json(stored, { headers: { ETag: etag() } }),
    'PATCH /api/v1/issues/i9': (call: RecordedCall) => {
      if (call.headers.get('If-Match') !== etag()) {
        return problem(412, {
          type: 'https://rectify.example/problems/precondition-failed',
          title: '版本已变更，请刷新后重试',
          detail: 'the resource changed since it was read',
          current_etag: etag(),
        });
      }
      stored = { ...stored, ...(call.body as Record<string, unknown>), version: Number(stored.version) + 1 };
      return json(stored, { headers: { ETag: etag() } });
    },
  });
  const someoneElseSaves = () => {
    stored = { ...theirs };
  };
  return { ...m, someoneElseSaves, stored: () => stored };
}

const patches = (m: ReturnType<typeof backend>) => m.find('PATCH', '/api/v1/issues/i9');

/** Open the form, change the title, let a colleague save, then press 保存 and wait for the notice. */
async function editIntoConflict() {
  const m = backend();
  const user = userEvent.setup();
  renderAt('/issues/i9/edit', <AppRoutes />);
  const title = await screen.findByLabelText('问题');
  await user.clear(title);
  await user.type(title, '窗口推诿（已核实）');
  m.someoneElseSaves();
  await user.click(screen.getByRole('button', { name: /^保\s*存$/ }));
  const alert = await screen.findByRole('alert');
  return { m, user, alert };
}

describe('issue edit conflict (412)', () => {
  it('names the fields a colleague changed with their new values and keeps the edits', async () => {
    const { m, alert } = await editIntoConflict();
    expect(within(alert).getByText('此问题在您编辑期间已被他人修改')).toBeInTheDocument();
    const fields = within(alert).getByTestId('conflict-fields');
    expect(within(fields).getByText('地区').closest('li')).toHaveTextContent('地区：现为 杭州市');
    await waitFor(() =>
      expect(within(fields).getByText('分类').closest('li')).toHaveTextContent('分类：现为 审批服务'),
    );
    expect(within(fields).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByLabelText('问题')).toHaveValue('窗口推诿（已核实）');
    expect(patches(m)).toHaveLength(1);
    expect(patches(m)[0]?.headers.get('If-Match')).toBe('"7"');
  });

  it('does not send a plain save again until the user chooses', async () => {
    const { m, user } = await editIntoConflict();
    await user.click(screen.getByRole('button', { name: /^保\s*存$/ }));
    expect(await screen.findByText(/请选择：载入最新内容（放弃您的修改）/, { selector: '.ant-message *' })).toBeInTheDocument();
    expect(patches(m)).toHaveLength(1);
    expect(screen.getByRole('alert')).toBeInTheDocument();
  });

  it('saves the edits over the new version with its ETag when asked to', async () => {
    const { m, user, alert } = await editIntoConflict();
    await user.click(within(alert).getByRole('button', { name: '仍以我的修改保存' }));
    await waitFor(() => expect(patches(m)).toHaveLength(2));
    const overwrite = patches(m)[1];
    expect(overwrite?.headers.get('If-Match')).toBe('"8"');
    // only the user's own change: the colleague's 地区 and 分类 stay as they saved them
    expect(overwrite?.body).toEqual({ title: '窗口推诿（已核实）' });
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    expect(m.stored()).toMatchObject({ title: '窗口推诿（已核实）', city: 'HZ', category_id: 'k2' });
  });

  it('puts the latest stored values in the form when asked to, and then saves with their ETag', async () => {
    const { m, user, alert } = await editIntoConflict();
    await user.click(within(alert).getByRole('button', { name: '载入最新内容' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByLabelText('问题')).toHaveValue('窗口推诿');
    const city = screen.getByLabelText('地区').closest('.ant-form-item') as HTMLElement;
    expect(within(city).getByText('杭州市')).toBeInTheDocument();
    await user.click(city.querySelector('.ant-select-clear') as HTMLElement);
    await user.click(screen.getByRole('button', { name: /^保\s*存$/ }));
    await waitFor(() => expect(patches(m)).toHaveLength(2));
    expect(patches(m)[1]?.headers.get('If-Match')).toBe('"8"');
    // measured against the version loaded: clearing 地区 is the one change, sent as null
    expect(patches(m)[1]?.body).toEqual({ city: null });
  });

  it('sends nothing when nothing changed and goes back to the issue', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues/i9/edit', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: /^保\s*存$/ }));
    expect(await screen.findByText('没有修改，未保存')).toBeInTheDocument();
    expect(patches(m)).toHaveLength(0);
  });

  it('keeps the toast and the field errors for other failures', async () => {
    setToken('tok');
    mockFetch({
      'GET /api/v1/auth/me': () => json(me),
      'GET /api/v1/issues/i9': () => json(opened, { headers: { ETag: '"7"' } }),
      'PATCH /api/v1/issues/i9': () =>
        problem(422, { title: '请求参数无效', errors: [{ field: 'title', message: '标题过长' }] }),
    });
    const user = userEvent.setup();
    renderAt('/issues/i9/edit', <AppRoutes />);
    await user.type(await screen.findByLabelText('问题'), '！');
    await user.click(screen.getByRole('button', { name: /^保\s*存$/ }));
    expect(await screen.findByText('请检查填写的内容（422）。')).toBeInTheDocument();
    const title = screen.getByLabelText('问题').closest('.ant-form-item');
    await waitFor(() => expect(title).toHaveTextContent('标题过长'));
    expect(screen.queryByText('此问题在您编辑期间已被他人修改')).toBeNull();
  });
});
