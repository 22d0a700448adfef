import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

const admin = { id: 'u0', username: 'admin', display_name: '管理员', role: 'admin', unit_id: null };
const office = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const unitUser = { id: 'u2', username: 'A', display_name: '甲处经办人', role: 'unit', unit_id: 'A' };
const units = { items: [{ id: 'A', code: 'A', name: '甲处', kind: 'department', parent_id: null, active: true, version: 1 }], next_cursor: null, total: 1 };
const clerk = {
  id: 'u5',
  username: 'clerk',
  display_name: '张三',
  role: 'unit',
  unit_id: 'A',
  email: null,
  phone: null,
  active: true,
  digest_opt_in: false,
  locale: 'zh-CN',
  version: 3,
};
const ADMIN_LINKS = [
  '/admin/users',
  '/admin/units',
  '/admin/clients',
  '/admin/webhooks',
  '/admin/deliveries',
  '/admin/escalation-policies',
  '/admin/calendar',
  '/admin/channels',
  '/admin/audit',
];

function signIn(me: object, routes: Parameters<typeof mockFetch>[0] = {}) {
  setToken('tok');
  return mockFetch({ 'GET /api/v1/auth/me': () => json(me), 'GET /api/v1/units': () => json(units), ...routes });
}

/** Admin links in the page: the header's entry and the admin section's own navigation. */
function adminLinks(): string[] {
  const hrefs = Array.from(document.body.querySelectorAll('a[href^="/admin/"]'), (a) => a.getAttribute('href') ?? '');
  return [...new Set(hrefs)].sort();
}

describe('admin menu', () => {
  it('shows every admin page to an admin', async () => {
    signIn(admin, { 'GET /api/v1/users': () => json({ items: [], next_cursor: null, total: 0 }) });
    renderAt('/admin', <AppRoutes />);
    expect(await screen.findByRole('heading', { name: '用户' })).toBeInTheDocument();
    expect(screen.getAllByText('系统管理').length).toBeGreaterThan(0);
    const nav = screen.getByRole('navigation', { name: '系统管理' });
    for (const label of ['用户', '单位', '接入系统', 'Webhook 订阅', '投递记录', '升级策略', '工作日历', '通知渠道']) {
      expect(within(nav).getByText(label)).toBeInTheDocument();
    }
    expect(adminLinks()).toEqual([...ADMIN_LINKS].sort());
  });

  it('shows the office only the pages its role may use', async () => {
    signIn(office, { 'GET /api/v1/webhooks': () => json([]) });
    renderAt('/admin', <AppRoutes />);
    expect(await screen.findByRole('heading', { name: 'Webhook 订阅' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: '系统管理' });
    expect(within(nav).queryByText('用户')).toBeNull();
    expect(within(nav).queryByText('接入系统')).toBeNull();
    expect(within(nav).queryByText('工作日历')).toBeNull();
    expect(adminLinks()).toEqual([
      '/admin/audit',
      '/admin/channels',
      '/admin/deliveries',
      '/admin/escalation-policies',
      '/admin/webhooks',
    ]);
  });

  it('refuses the admin-only pages to the office', async () => {
    signIn(office);
    renderAt('/admin/users', <AppRoutes />);
    expect(await screen.findByText('没有权限执行此操作（403）。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '新增用户' })).toBeNull();
  });

  it('shows no administration to a unit user, and the page itself answers 403', async () => {
    signIn(unitUser);
    renderAt('/admin/webhooks', <AppRoutes />);
    expect(await screen.findByText('没有权限执行此操作（403）。')).toBeInTheDocument();
    expect(adminLinks()).toEqual([]);
    expect(screen.queryByText('系统管理')).toBeNull();
  });
});

describe('users', () => {
  it('puts a 422 problem field error on the user form field', async () => {
    const m = signIn(admin, {
      'GET /api/v1/users': () => json({ items: [], next_cursor: null, total: 0 }),
      'POST /api/v1/users': () =>
        problem(422, {
          type: 'https://rectify.example/problems/validation',
          title: '请求参数不合法',
          errors: [{ field: 'email', message: '邮箱格式不正确' }],
        }),
    });
    const user = userEvent.setup();
    renderAt('/admin/users', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '新增用户' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('登录名'), 'clerk');
    await user.type(within(dialog).getByLabelText('姓名'), '张三');
    await user.click(within(dialog).getByRole('combobox', { name: '所属单位' }));
    await user.click(await screen.findByTitle('甲处'));
    await user.type(within(dialog).getByLabelText('邮箱'), 'a@b');
    await user.type(within(dialog).getByLabelText('初始密码'), 'secret-123');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(m.find('POST', '/api/v1/users')).toHaveLength(1));
    const call = m.find('POST', '/api/v1/users')[0]!;
    expect(call.body).toEqual({
      username: 'clerk',
      display_name: '张三',
      role: 'unit',
      unit_id: 'A',
      phone: null,
      email: 'a@b',
      password: 'secret-123',
    });
    expect(call.headers.get('Idempotency-Key')).toBeTruthy();
    const emailItem = within(dialog).getByLabelText('邮箱').closest('.ant-form-item') as HTMLElement;
    expect(await within(emailItem).findByText('邮箱格式不正确')).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('deactivates a user with If-Match set to the row version', async () => {
    const m = signIn(admin, {
      'GET /api/v1/users': () => json({ items: [clerk], next_cursor: null, total: 1 }),
      'PATCH /api/v1/users/u5': () => json({ ...clerk, active: false, version: 4 }),
    });
    const user = userEvent.setup();
    renderAt('/admin/users', <AppRoutes />);
    expect(await screen.findByText('张三')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /停\s*用/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(m.find('PATCH', '/api/v1/users/u5')).toHaveLength(1));
    const call = m.find('PATCH', '/api/v1/users/u5')[0]!;
    expect(call.body).toEqual({ active: false });
    expect(call.headers.get('If-Match')).toBe('"3"');
  });
});

describe('user edit', () => {
  it('sends the edit with If-Match and, on 412, says the row changed and reloads the list', async () => {
    const m = signIn(admin, {
      'GET /api/v1/users': () => json({ items: [clerk], next_cursor: null, total: 1 }),
      'PATCH /api/v1/users/u5': () => problem(412, { title: '资源已被修改', detail: 'the resource changed since it was read' }),
    });
    const user = userEvent.setup();
    renderAt('/admin/users', <AppRoutes />);
    expect(await screen.findByText('张三')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /编\s*辑/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('登录名')).toBeDisabled();
    expect(within(dialog).queryByLabelText('初始密码')).toBeNull();
    await user.clear(within(dialog).getByLabelText('姓名'));
    await user.type(within(dialog).getByLabelText('姓名'), '张三丰');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(m.find('PATCH', '/api/v1/users/u5')).toHaveLength(1));
    const call = m.find('PATCH', '/api/v1/users/u5')[0]!;
    expect(call.headers.get('If-Match')).toBe('"3"');
    expect(call.body).toMatchObject({ display_name: '张三丰', role: 'unit', unit_id: 'A' });
    expect(await screen.findByText('数据已被他人修改，请刷新后重试（412）。')).toBeInTheDocument();
    await waitFor(() => expect(m.find('GET', '/api/v1/users').length).toBeGreaterThan(1));
  });
});

describe('integration clients', () => {
  it('shows a new client secret once, with a copy button and a warning', async () => {
    let registered = false;
    const client = { id: 'gov-portal', name: '政务服务网', scopes: ['events:read'], active: true };
    const m = signIn(admin, {
      'GET /api/v1/clients': () => json(registered ? [client] : []),
      'POST /api/v1/clients': () => {
        registered = true;
        return json({ ...client, client_secret: 'S3CRET-only-once' }, { status: 201 });
      },
    });
    // user-event puts its own clipboard stub on navigator
    const user = userEvent.setup();
    renderAt('/admin/clients', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '注册接入系统' }));
    const form = await screen.findByRole('dialog');
    await user.type(within(form).getByLabelText('客户端 ID'), 'gov-portal');
    await user.type(within(form).getByLabelText('系统名称'), '政务服务网');
    await user.click(within(form).getByRole('button', { name: /保\s*存/ }));

    expect(await screen.findByText('S3CRET-only-once')).toBeInTheDocument();
    expect(screen.getByText('请立即复制并妥善保存此密钥：关闭后将不再显示，无法找回。')).toBeInTheDocument();
    expect(m.find('POST', '/api/v1/clients')[0]?.body).toEqual({ id: 'gov-portal', name: '政务服务网', scopes: [] });
    await user.click(screen.getByRole('button', { name: '复制密钥' }));
    expect(await navigator.clipboard.readText()).toBe('S3CRET-only-once');

    await user.click(screen.getByRole('button', { name: '我已保存，关闭' }));
    await waitFor(() => expect(screen.queryByText('S3CRET-only-once')).toBeNull());
    expect(await screen.findByText('政务服务网')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('S3CRET-only-once');
  });
});

describe('client secret rotation', () => {
  it('rotates after confirmation and shows the new secret once', async () => {
    const client = { id: 'gov-portal', name: '政务服务网', scopes: ['events:read'], active: true };
    const m = signIn(admin, {
      'GET /api/v1/clients': () => json([client]),
      'PATCH /api/v1/clients/gov-portal': () => json({ ...client, client_secret: 'ROTATED-secret' }),
    });
    const user = userEvent.setup();
    renderAt('/admin/clients', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '轮换密钥' }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    expect(await screen.findByText('ROTATED-secret')).toBeInTheDocument();
    expect(m.find('PATCH', '/api/v1/clients/gov-portal')[0]?.body).toEqual({ rotate_secret: true });
    await user.click(screen.getByRole('button', { name: '我已保存，关闭' }));
    await waitFor(() => expect(document.body.textContent).not.toContain('ROTATED-secret'));
  });
});

describe('webhooks', () => {
  const hook = {
    id: 'w1',
    url: 'https://receiver.example/hook',
    event_types: ['escalation.fired'],
    description: '省督查平台',
    active: true,
    created_at: '2026-01-01T00:00:00Z',
  };

  it('deletes a subscription only after the confirmation', async () => {
    const m = signIn(office, {
      'GET /api/v1/webhooks': () => json([hook]),
      'DELETE /api/v1/webhooks/w1': () => new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderAt('/admin/webhooks', <AppRoutes />);
    expect(await screen.findByText('省督查平台')).toBeInTheDocument();
    expect(screen.getByText('督办触发')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /删\s*除/ }));
    expect(await screen.findByText('确定删除该订阅？')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /取\s*消/ }));
    expect(m.find('DELETE', '/api/v1/webhooks/w1')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: /删\s*除/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(m.find('DELETE', '/api/v1/webhooks/w1')).toHaveLength(1));
    await waitFor(() => expect(m.find('GET', '/api/v1/webhooks').length).toBeGreaterThan(1));
  });

  it('pauses a subscription with PATCH active=false', async () => {
    const m = signIn(admin, {
      'GET /api/v1/webhooks': () => json([hook]),
      'PATCH /api/v1/webhooks/w1': () => json({ ...hook, active: false }),
    });
    const user = userEvent.setup();
    renderAt('/admin/webhooks', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: /暂\s*停/ }));
    await waitFor(() => expect(m.find('PATCH', '/api/v1/webhooks/w1')).toHaveLength(1));
    expect(m.find('PATCH', '/api/v1/webhooks/w1')[0]?.body).toEqual({ active: false });
  });
});

describe('deliveries', () => {
  it('filters by the URL and retries a dead letter', async () => {
    const dead = {
      id: 'd1',
      channel: 'webhook',
      target: 'https://receiver.example/hook',
      user_id: null,
      event_type: 'escalation.fired',
      level: 2,
      subject: '督办通知',
      subscription_id: 'w1',
      status: 'dead',
      attempts: 8,
      next_attempt_at: '2026-01-01T00:00:00Z',
      last_error: 'HTTP 500',
      created_at: '2026-01-01T00:00:00Z',
      sent_at: null,
      attempt_log: [],
    };
    const m = signIn(office, {
      'GET /api/v1/deliveries': () => json({ items: [dead, { ...dead, id: 'd2', status: 'sent', subject: '已送达的' }], next_cursor: null, total: 2 }),
      'POST /api/v1/deliveries/d1/retry': () => json({ ...dead, status: 'pending' }),
    });
    const user = userEvent.setup();
    renderAt('/admin/deliveries?subscription_id=w1', <AppRoutes />);
    expect(await screen.findByText('已送达的')).toBeInTheDocument();
    expect(m.find('GET', '/api/v1/deliveries')[0]?.url.searchParams.get('subscription_id')).toBe('w1');
    expect(screen.getByText('死信')).toBeInTheDocument();
    const retryButtons = screen.getAllByRole('button', { name: /重\s*试/ });
    expect(retryButtons).toHaveLength(1);
    await user.click(retryButtons[0]!);
    await waitFor(() => expect(m.find('POST', '/api/v1/deliveries/d1/retry')).toHaveLength(1));
  });
  it('names a webhook delivery\'s event in words, not by its type', async () => {
    const hook = {
      id: 'd3', channel: 'webhook', target: 'https://receiver.example/hook', user_id: null, event_type: 'issue.assigned',
      level: null, subject: 'issue.assigned', subscription_id: 'w1', status: 'sent', attempts: 1, next_attempt_at: null,
      last_error: null, created_at: '2026-01-01T00:00:00Z', sent_at: '2026-01-01T00:00:01Z', attempt_log: [],
    };
    signIn(office, { 'GET /api/v1/deliveries': () => json({ items: [hook], next_cursor: null, total: 1 }) });
    renderAt('/admin/deliveries', <AppRoutes />);
    expect(await screen.findAllByText('交办')).toHaveLength(2); // the event type and the subject
    expect(screen.queryByText('issue.assigned')).toBeNull();
  });
});
