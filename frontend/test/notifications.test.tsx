import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { NotificationOut } from '@/api/generated/openapi';
import { setToken } from '@/api/token';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const office = { id: 'u1', username: 'office', display_name: '督查处', role: 'office', unit_id: null };

function message(id: string, extra: Partial<NotificationOut>): NotificationOut {
  return {
    id,
    kind: 'returned',
    title: `消息${id}`,
    body: '',
    level: null,
    issue_id: null,
    intake_id: null,
    escalation_id: null,
    created_at: '2026-03-10T02:00:00Z',
    read_at: null,
    ...extra,
  };
}

/** notify-api's inbox: read marks one, read-all marks every unread one and says how many. */
function backend() {
  setToken('tok');
  const inbox = [
    message('1', { title: '【退回】YS-2026-0009 窗口推诿', body: '甲处退回了该问题：不属本单位职责。请重新交办。', issue_id: 'i9' }),
    message('2', { kind: 'intake_submitted', title: '【新诉求】企业开办材料重复提交', intake_id: 'k7' }),
    message('3', { kind: 'calendar_missing', title: '【系统提醒】2027 年节假日安排缺失', read_at: '2026-03-10T03:00:00Z' }),
  ];
  const unread = () => inbox.filter((m) => m.read_at === null).length;
  return mockFetch({
    'GET /api/v1/auth/me': () => json(office),
    'GET /api/v1/units': () => json({ items: [] }),
    'GET /api/v1/notifications': () => json({ items: inbox, next_cursor: null, total: inbox.length }),
    'GET /api/v1/notifications/unread-count': () => json({ unread: unread() }),
    'POST /api/v1/notifications/1/read': () => {
      inbox[0]!.read_at = '2026-03-11T00:00:00Z';
      return json(inbox[0]);
    },
    'POST /api/v1/notifications/read-all': () => {
      const marked = unread();
      for (const m of inbox) m.read_at ??= '2026-03-11T00:00:00Z';
      return json({ marked });
    },
  });
}

function itemOf(title: string): HTMLElement {
  const item = screen.getByText(title).closest('li');
  if (!item) throw new Error(`no message ${title}`);
  return item;
}

describe('messages (消息)', () => {
  it('links every message to its item: the issue, or the intake queue for a new submission', async () => {
    backend();
    renderAt('/notifications', <AppRoutes />);
    expect(await screen.findByRole('link', { name: '【退回】YS-2026-0009 窗口推诿' })).toHaveAttribute('href', '/issues/i9');
    expect(within(itemOf('【退回】YS-2026-0009 窗口推诿')).getByRole('link', { name: '查看问题' })).toHaveAttribute('href', '/issues/i9');
    expect(screen.getByRole('link', { name: '【新诉求】企业开办材料重复提交' })).toHaveAttribute('href', '/intake?item=k7');
    expect(within(itemOf('【新诉求】企业开办材料重复提交')).getByRole('link', { name: '查看诉求' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /节假日安排缺失/ })).toBeNull();
  });

  it('marks a message read when its item is opened', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/notifications', <AppRoutes />);
    await user.click(await screen.findByRole('link', { name: '【退回】YS-2026-0009 窗口推诿' }));
    await waitFor(() => expect(m.find('POST', '/api/v1/notifications/1/read')).toHaveLength(1));
  });

  it('marks every message read at once and says how many', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/notifications', <AppRoutes />);
    await screen.findByText('【新诉求】企业开办材料重复提交');
    expect(within(itemOf('【新诉求】企业开办材料重复提交')).getByText('未读')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '全部标为已读' }));
    expect(await screen.findByText('已将 2 条消息标为已读')).toBeInTheDocument();
    expect(m.find('POST', '/api/v1/notifications/read-all')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByText('未读')).toBeNull());
    await waitFor(() => expect(screen.getByRole('button', { name: '全部标为已读' })).toBeDisabled());
  });
});
