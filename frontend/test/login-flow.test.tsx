import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { getToken, setToken } from '@/api/token';
import { json, mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';

const me = { id: 'u1', username: 'office', display_name: '督查处张三', role: 'office', unit_id: null };

function backend(overrides: Parameters<typeof mockFetch>[0] = {}) {
  return mockFetch({
    'POST /api/v1/auth/token': (call) => {
      const form = call.body as URLSearchParams;
      return form.get('password') === 'demo12345'
        ? json({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 })
        : problem(401, { title: '用户名或密码错误', detail: 'invalid credentials' });
    },
    'GET /api/v1/auth/me': (call) =>
      call.headers.get('Authorization') === 'Bearer tok-1' ? json(me) : problem(401, { title: 'Unauthorized' }),
    'GET /api/v1/issues': () => json({ items: [], next_cursor: null, total: 0 }),
    'GET /api/v1/notifications/unread-count': () => json({ unread: 3 }),
    'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    ...overrides,
  });
}

/** Every value a script could read from the page's storage. */
function storedValues(): string[] {
  return [window.localStorage, window.sessionStorage].flatMap((s) =>
    Object.keys(s).map((k) => s.getItem(k) ?? ''),
  );
}

describe('login flow', () => {
  it('redirects to login, posts a form-encoded password grant and shows the user in the header', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues', <AppRoutes />);

    expect(await screen.findByText(/demo12345/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('用户名'), 'office');
    await user.type(screen.getByLabelText('密码'), 'demo12345');
    await user.click(screen.getByRole('button', { name: /登\s*录/ }));

    expect(await screen.findByTestId('current-user')).toHaveTextContent('督查处张三');
    expect(screen.getByTestId('current-user')).toHaveTextContent('领导小组办公室');
    expect(getToken()).toBe('tok-1');
    expect(storedValues().join(' ')).not.toContain('tok-1');

    const [tokenCall] = m.find('POST', '/api/v1/auth/token');
    expect(tokenCall?.body).toBeInstanceOf(URLSearchParams);
    const form = tokenCall?.body as URLSearchParams;
    expect(form.get('username')).toBe('office');
    expect(form.get('grant_type')).toBe('password');
    expect(tokenCall?.headers.get('Authorization')).toBeNull();
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').length).toBeGreaterThan(0));
    expect(m.find('GET', '/api/v1/issues')[0]?.headers.get('Authorization')).toBe('Bearer tok-1');
  });

  it('shows the problem title of a rejected login and stays on the login page', async () => {
    backend();
    const user = userEvent.setup();
    renderAt('/login', <AppRoutes />);
    await user.type(screen.getByLabelText('用户名'), 'office');
    await user.type(screen.getByLabelText('密码'), 'wrong');
    await user.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText(/用户名或密码错误/)).toBeInTheDocument();
    expect(screen.getByText('未登录或登录已失效（401）。')).toBeInTheDocument();
    expect(getToken()).toBeNull();
  });

  it('logout ends the session on the server first, then clears the token and returns to the login page', async () => {
    let answer: (response: Response) => void = () => undefined;
    const m = backend({
      'POST /api/v1/auth/logout': () => new Promise<Response>((resolve) => { answer = resolve; }),
    });
    setToken('tok-1');
    const user = userEvent.setup();
    renderAt('/issues', <AppRoutes />);
    await screen.findByTestId('current-user');
    await user.click(screen.getByRole('button', { name: /退\s*出/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/auth/logout')).toHaveLength(1));
    // until the server has ended the session, a reload would still get a token from its cookie
    expect(getToken()).toBe('tok-1');
    expect(screen.queryByLabelText('用户名')).toBeNull();
    answer(new Response(null, { status: 204 }));
    expect(await screen.findByLabelText('用户名')).toBeInTheDocument();
    expect(getToken()).toBeNull();
  });

  it('a reload keeps the user signed in: the session cookie buys a token, nothing is stored', async () => {
    const m = mockFetch({
      'POST /api/v1/auth/refresh': () => json({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 }),
      'GET /api/v1/auth/me': (call) =>
        call.headers.get('Authorization') === 'Bearer tok-1' ? json(me) : problem(401, { title: 'Unauthorized' }),
      'GET /api/v1/issues': () => json({ items: [], next_cursor: null, total: 0 }),
      'GET /api/v1/notifications/unread-count': () => json({ unread: 0 }),
    });
    renderAt('/issues', <AppRoutes />);
    expect(await screen.findByTestId('current-user')).toHaveTextContent('督查处张三');
    expect(m.find('POST', '/api/v1/auth/refresh')).toHaveLength(1);
    expect(screen.queryByLabelText('用户名')).toBeNull();
    expect(storedValues()).toEqual([]);
  });

  it('without a session a fresh page goes to the login page', async () => {
    mockFetch({ 'POST /api/v1/auth/refresh': () => problem(401, { title: '登录已失效，请重新登录' }) });
    renderAt('/issues', <AppRoutes />);
    expect(await screen.findByLabelText('用户名')).toBeInTheDocument();
  });

  it('an expired access token is renewed from the session and the call retried once', async () => {
    setToken('expired');
    const m = mockFetch({
      'POST /api/v1/auth/refresh': () => json({ access_token: 'tok-2', token_type: 'bearer', expires_in: 3600 }),
      'GET /api/v1/auth/me': (call) =>
        call.headers.get('Authorization') === 'Bearer tok-2' ? json(me) : problem(401, { title: 'Unauthorized' }),
      'GET /api/v1/issues': () => json({ items: [], next_cursor: null, total: 0 }),
      'GET /api/v1/notifications/unread-count': () => json({ unread: 0 }),
    });
    renderAt('/issues', <AppRoutes />);
    expect(await screen.findByTestId('current-user')).toHaveTextContent('督查处张三');
    expect(getToken()).toBe('tok-2');
    const meCalls = m.find('GET', '/api/v1/auth/me').map((c) => c.headers.get('Authorization'));
    expect(meCalls).toEqual(['Bearer expired', 'Bearer tok-2']);
  });

  it('an expired token (401 from the API) sends the user back to login', async () => {
    backend();
    setToken('expired');
    renderAt('/issues', <AppRoutes />);
    expect(await screen.findByLabelText('用户名')).toBeInTheDocument();
    expect(getToken()).toBeNull();
  });
});
