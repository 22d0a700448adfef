import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { eventTypeKey } from '@/features/admin/components/audit-labels';
import { createI18n } from '@/i18n';
import { formatDateTime } from '@/shared/lib/format';
import { json, mockFetch, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

const admin = { id: 'u0', username: 'admin', display_name: '管理员', role: 'admin', unit_id: null };
const office = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };
const officeActor = { kind: 'user', id: 'u1', username: 'office', role: 'office', unit_id: null };
const HASH_1 = 'a1b2c3d4e5f6'.padEnd(64, '0');
const HASH_3 = 'ffee00112233'.padEnd(64, '9');

function event(seq: number, type: string, extra: object = {}) {
  return {
    seq,
    id: `e${seq}`,
    type,
    occurred_at: '2026-11-25T08:00:00+00:00',
    actor: officeActor,
    subject_id: `s${seq}`,
    data: {},
    hash: String(seq).padEnd(64, 'c'),
    ...extra,
  };
}

const page1 = {
  events: [
    event(1, 'issue.assigned', { hash: HASH_1, data: { issue: { code: 'YS-2017-0042', status: 'assigned' } } }),
    event(2, 'unit.created', { actor: { kind: 'public', id: null, username: null, role: null, unit_id: null } }),
  ],
  next: 2,
  head: 3,
};
const page2 = { events: [event(3, 'report.snapshotted', { hash: HASH_3 })], next: 3, head: 3 };

/** The feed answers by `after`, as issues-api does: page 1 from 0, page 2 after 2. */
function feed(call: RecordedCall) {
  const after = Number(call.url.searchParams.get('after'));
  if (after >= 3) return json({ events: [], next: after, head: 3 });
  return json(after >= 2 ? page2 : page1);
}

function signIn(me: object, routes: Parameters<typeof mockFetch>[0] = {}) {
  setToken('tok');
  return mockFetch({ 'GET /api/v1/auth/me': () => json(me), 'GET /api/v1/events': feed, ...routes });
}

function eventRows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('.ant-table-tbody tr[data-row-key]'));
}

describe('audit chain verification', () => {
  it('shows an intact chain with the events and anchors checked', async () => {
    const m = signIn(admin, {
      'GET /api/v1/audit/verify': () => json({ ok: true, checked: 128, first_bad_seq: null, anchors_checked: 4 }),
    });
    const user = userEvent.setup();
    renderAt('/admin/audit', <AppRoutes />);
    const card = (await screen.findByText('校验审计链')).closest('.ant-card') as HTMLElement;
    expect(m.find('GET', '/api/v1/audit/verify')).toHaveLength(0);
    await user.click(within(card).getByRole('button', { name: '开始校验' }));
    const alert = await within(card).findByRole('alert');
    expect(alert).toHaveTextContent('审计链完整');
    expect(alert).toHaveTextContent('已校验 128 条事件，4 个链头锚点');
    expect(alert.className).toContain('ant-alert-success');
    expect(m.find('GET', '/api/v1/audit/verify')).toHaveLength(1);
  });

  it('names the first bad sequence number of a broken chain', async () => {
    signIn(admin, {
      'GET /api/v1/audit/verify': () => json({ ok: false, checked: 128, first_bad_seq: 57, anchors_checked: 4 }),
    });
    const user = userEvent.setup();
    renderAt('/admin/audit', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '开始校验' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('审计链被篡改');
    expect(alert).toHaveTextContent('第一个不一致的事件序号：#57');
    expect(alert.className).toContain('ant-alert-error');
    expect(screen.queryByText('审计链完整')).toBeNull();
  });
});

describe('audit events', () => {
  it('lists the events with labelled types, actors and short hashes', async () => {
    const m = signIn(admin);
    renderAt('/admin/audit', <AppRoutes />);
    await waitFor(() => expect(eventRows()).toHaveLength(2));
    const [first, second] = eventRows() as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent('#1');
    // the SPA's one date format, in the machine's time zone
    expect(first).toHaveTextContent(formatDateTime('2026-11-25T08:00:00+00:00'));
    expect(first).not.toHaveTextContent('2026-11-25T08:00');
    expect(first).toHaveTextContent('交办');
    expect(first).toHaveTextContent('office / 领导小组办公室');
    expect(first).toHaveTextContent('s1');
    expect(within(first).getByText('a1b2c3d4e5f6')).toBeInTheDocument();
    expect(first).not.toHaveTextContent(HASH_1);
    expect(second).toHaveTextContent('新增单位');
    expect(second).toHaveTextContent('公众');
    expect(screen.getByText('最新序号：#3')).toBeInTheDocument();
    const call = m.find('GET', '/api/v1/events')[0]!;
    expect(call.url.searchParams.get('after')).toBe('0');
    expect(call.url.searchParams.get('limit')).toBe('50');
  });

  it('loads more with after set to the previous page’s next, and stops at the head', async () => {
    const m = signIn(admin);
    const user = userEvent.setup();
    renderAt('/admin/audit', <AppRoutes />);
    await user.click(await screen.findByRole('button', { name: '加载更多' }));
    await waitFor(() => expect(eventRows()).toHaveLength(3));
    const afters = m.find('GET', '/api/v1/events').map((c) => c.url.searchParams.get('after'));
    expect(afters).toEqual(['0', '2']);
    // a type without a label shows as it is
    expect(eventRows()[2]).toHaveTextContent('report.snapshotted');
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
  });

  it('opens a drawer with the event data as JSON and the full hash', async () => {
    signIn(admin);
    const user = userEvent.setup();
    renderAt('/admin/audit', <AppRoutes />);
    await waitFor(() => expect(eventRows()).toHaveLength(2));
    await user.click(within(eventRows()[0]!).getByText('s1'));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByText('事件 #1')).toBeInTheDocument();
    expect(within(drawer).getByText(HASH_1)).toBeInTheDocument();
    expect(within(drawer).getByText('issue.assigned')).toBeInTheDocument();
    const data = within(drawer).getByLabelText('事件数据');
    expect(JSON.parse(data.textContent)).toEqual({ issue: { code: 'YS-2017-0042', status: 'assigned' } });
    expect(data.textContent).toContain('\n  "issue": {');
  });

  it('starts from the sequence number in the URL and from one typed in', async () => {
    const m = signIn(admin);
    const user = userEvent.setup();
    renderAt('/admin/audit?from=3', <AppRoutes />);
    await waitFor(() => expect(eventRows()).toHaveLength(1));
    expect(m.find('GET', '/api/v1/events')[0]!.url.searchParams.get('after')).toBe('2');
    const input = screen.getByLabelText('从序号');
    expect(input).toHaveValue('3');
    await user.clear(input);
    await user.type(input, '2');
    await user.click(screen.getByRole('button', { name: /查\s*看/ }));
    await waitFor(() => expect(m.find('GET', '/api/v1/events').at(-1)!.url.searchParams.get('after')).toBe('1'));
  });
});

describe('audit page for the office', () => {
  it('shows the verify card but no event table, and never asks for the feed', async () => {
    const m = signIn(office, {
      'GET /api/v1/audit/verify': () => json({ ok: true, checked: 5, first_bad_seq: null, anchors_checked: 1 }),
    });
    const user = userEvent.setup();
    renderAt('/admin/audit', <AppRoutes />);
    const nav = await screen.findByRole('navigation', { name: '系统管理' });
    expect(within(nav).getByText('审计日志')).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: '开始校验' }));
    expect(await screen.findByText('已校验 5 条事件，1 个链头锚点')).toBeInTheDocument();
    expect(screen.getByText('事件明细仅系统管理员可查看。')).toBeInTheDocument();
    expect(screen.queryByText('事件记录')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    expect(m.find('GET', '/api/v1/events')).toHaveLength(0);
  });
});

/** Every type issues-api writes to its feed (docs/events.md): the audit log names each one, never by code. */
const LEDGER_EVENT_TYPES = [
  'issue.created', 'issue.updated', 'issue.assigned', 'issue.reassigned', 'issue.accepted', 'issue.returned',
  'issue.progress_reported', 'issue.completion_submitted', 'issue.completion_rejected', 'issue.closed',
  'issue.reopened', 'issue.cancelled', 'issue.extension_requested', 'issue.extension_decided', 'issue.urged',
  'issue.instructed', 'issue.attachment_added', 'issue.co_unit_accepted', 'issue.co_unit_contributed',
  'issue.co_unit_waived', 'issue.flagged', 'issue.feedback_received', 'issue.public_replied',
  'intake.submitted', 'intake.accepted', 'intake.merged', 'intake.rejected', 'intake.replied',
  'intake.dissatisfied', 'intake.followed_up', 'intake.appealed', 'contact.read',
  'unit.created', 'unit.updated', 'user.created', 'user.updated', 'user.unlocked',
  'campaign.created', 'campaign.updated', 'client.created', 'client.updated', 'accountability.recorded',
];

describe('audit labels', () => {
  it('names every ledger event type in Chinese and in English', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const i18n = createI18n(language);
      const unlabelled = LEDGER_EVENT_TYPES.filter((type) => !i18n.exists(eventTypeKey(type), { fallbackLng: [] }));
      expect(unlabelled, language).toEqual([]);
    }
  });

  it('shows a read of a submitter’s contacts as 查看提交人联系方式, with who read it', async () => {
    const read = event(7, 'contact.read', { data: { submission_id: 'sub-1', fields: ['contact_phone'], via: 'contact' } });
    signIn(admin, { 'GET /api/v1/events': () => json({ events: [read], next: 7, head: 7 }) });
    renderAt('/admin/audit', <AppRoutes />);
    await waitFor(() => expect(eventRows()).toHaveLength(1), { timeout: 20000 });
    const [row] = eventRows() as [HTMLElement];
    expect(row).toHaveTextContent('查看提交人联系方式');
    expect(row).toHaveTextContent('office / 领导小组办公室');
    expect(row).not.toHaveTextContent('contact.read');
  });
});
