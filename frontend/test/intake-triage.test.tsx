import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { IntakePage, IssuePublicReplies } from '@/features/intake';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';
import { Route, Routes, useLocation } from 'react-router-dom';

function Where() {
  const location = useLocation();
  return <div data-testid="where">{location.pathname + location.search}</div>;
}

const item = {
  id: 's1',
  code_hint: 'W4NB',
  status: 'submitted',
  title: '审批材料重复提交',
  content: '同一份营业执照复印件在三个窗口各交一次。',
  category_id: null,
  city: null,
  enterprise_name: null,
  contact_name: null,
  contact_phone: null,
  contact_email: null,
  issue_id: null,
  public_reply: null,
  submitted_at: '2026-06-01T02:00:00Z',
  decided_at: null,
  has_contact: true,
  followup: null,
};

const view = {
  tracking_code: '····-····-····-W4NB',
  status: 'submitted',
  title: '审批材料重复提交',
  submitted_at: '2026-06-01T02:00:00Z',
  timeline: [],
  public_reply: null,
  can_feedback: false,
  feedback: null,
  stages: [
    { key: 'submitted', done: true, current: true, at: '2026-06-01T02:00:00Z', text: '已收到', text_en: 'Received', detail: '我们已收到您的诉求。', detail_en: 'We have it.' },
  ],
  unit_name: null,
  expected_date: null,
  replies: [],
  followup: null,
  can_appeal: false,
  appeal: null,
};

function routes(extra: Record<string, Parameters<typeof mockFetch>[0][string]> = {}) {
  return mockFetch({
    'GET /api/v1/intake': () => json({ items: [item], next_cursor: null, total: 1 }),
    'GET /api/v1/intake/s1/public-view': () => json(view),
    'GET /api/v1/intake/s1/similar': () =>
      json([{ id: 'i9', code: 'YS-2017-0009', title: '审批材料过多', status: 'in_progress', category_id: null, lead_unit_id: null, deadline: null, score: 0.61 }]),
    'GET /api/v1/units': () => json([{ id: 'u1', code: 'KJT-GX', name: '高新处' }]),
    ...extra,
  });
}

describe('intake triage', () => {
  it('lists without contacts and reveals one submitter on demand (an audited read)', async () => {
    const m = routes({
      'GET /api/v1/intake/s1/contact': () => json({ contact_name: '王小明', contact_phone: '13912345678', contact_email: null, notify_by: 'sms' }),
    });
    const user = userEvent.setup();
    renderAt('/intake', <IntakePage />);
    await screen.findByText('审批材料重复提交');
    expect(m.find('GET', '/api/v1/intake')[0]?.url.searchParams.get('contacts')).toBe('false');
    expect(screen.queryByText('13912345678')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '查看联系方式' }));
    expect(await screen.findByText('13912345678')).toBeInTheDocument();
    expect(screen.getByText('同意短信告知')).toBeInTheDocument();
    expect(m.find('GET', '/api/v1/intake/s1/contact')).toHaveLength(1);
  });

  it('merges into a suggested issue with a public reply shown in the preview first', async () => {
    const m = routes({ 'POST /api/v1/intake/s1/merge': () => json({ ...item, status: 'merged', issue_id: 'i9' }) });
    const user = userEvent.setup();
    renderAt('/intake', <IntakePage />);
    await user.click(await screen.findByRole('button', { name: '合并到已有问题' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('radio', { name: /YS-2017-0009/ }));
    await user.type(within(dialog).getByLabelText(/公开答复/), '已并入同类问题一并办理');
    const preview = within(dialog).getByTestId('public-preview');
    await waitFor(() => expect(preview).toHaveTextContent('已并入同类问题一并办理'));
    expect(preview).toHaveTextContent('已收到');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/intake/s1/merge')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/intake/s1/merge')[0]?.body).toEqual({ issue_id: 'i9', public_reply: '已并入同类问题一并办理' });
  });

  it('merges into an issue found by searching when none of the suggestions is it', async () => {
    const m = routes({
      'GET /api/v1/issues': () =>
        json({ items: [{ id: 'i42', code: 'YS-2017-0042', title: '营业执照复印件重复提交', status: 'assigned' }], next_cursor: null, total: 1 }),
      'POST /api/v1/intake/s1/merge': () => json({ ...item, status: 'merged', issue_id: 'i42' }),
    });
    const user = userEvent.setup();
    renderAt('/intake', <IntakePage />);
    await user.click(await screen.findByRole('button', { name: '合并到已有问题' }));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('radio', { name: /YS-2017-0009/ });
    await user.type(within(dialog).getByRole('searchbox'), '营业执照{Enter}');
    await user.click(await within(dialog).findByRole('radio', { name: /YS-2017-0042/ }));
    expect(m.find('GET', '/api/v1/issues')[0]?.url.searchParams.get('q')).toBe('营业执照');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/intake/s1/merge')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/intake/s1/merge')[0]?.body).toEqual({ issue_id: 'i42' });
  });

  it('accepts and assigns in one step', async () => {
    const m = routes({ 'POST /api/v1/intake/s1/accept': () => json({ ...item, status: 'accepted', issue_id: 'i1' }) });
    const user = userEvent.setup();
    renderAt('/intake', <IntakePage />);
    await user.click(await screen.findByRole('button', { name: '受理登记' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('checkbox', { name: '受理并同时交办' }));
    await user.click(within(dialog).getByRole('combobox', { name: '主办单位' }));
    await user.click(await screen.findByTitle('高新处'));
    const date = within(dialog).getByPlaceholderText(/日期/);
    await user.click(date);
    await user.type(date, '2026-07-15{Enter}');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/intake/s1/accept')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/intake/s1/accept')[0]?.body).toEqual({ assign: { lead_unit_id: 'u1', deadline: '2026-07-15' } });
  });

  it('opens the new issue with 交办 ready after accepting without assigning', async () => {
    routes({ 'POST /api/v1/intake/s1/accept': () => json({ ...item, status: 'accepted', issue_id: 'i7' }) });
    const user = userEvent.setup();
    renderAt('/intake', <Routes><Route path="/intake" element={<IntakePage />} /><Route path="/issues/:id" element={<Where />} /></Routes>);
    await user.click(await screen.findByRole('button', { name: '受理登记' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByTestId('where')).toHaveTextContent('/issues/i7?step=assign');
  });

  it('settles a not-satisfied submission from its queue by answering', async () => {
    const pending = { ...item, status: 'accepted', issue_id: 'i1', rating: 2, feedback_comment: '仍需排队', followup: 'pending' };
    const m = mockFetch({
      'GET /api/v1/intake': () => json({ items: [pending], next_cursor: null, total: 1 }),
      'GET /api/v1/intake/s1/public-view': () => json(view),
      'POST /api/v1/intake/s1/followup': () => json({ ...pending, followup: 'answered' }),
    });
    const user = userEvent.setup();
    renderAt('/intake', <IntakePage />);
    await user.click(await screen.findByText('不满意待处理'));
    await waitFor(() => expect(m.find('GET', '/api/v1/intake').at(-1)?.url.searchParams.get('followup')).toBe('pending'));
    await user.click(await screen.findByRole('button', { name: '处理不满意' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/仍需排队/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: '答复说明（不重新办理）' }));
    await user.type(within(dialog).getByLabelText(/公开答复/), '窗口已合并，排队属正常范围。');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/intake/s1/followup')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/intake/s1/followup')[0]?.body).toEqual({ action: 'answer', reason: '窗口已合并，排队属正常范围。' });
  });
});

describe('public replies on an issue (公开答复)', () => {
  const issueView = {
    ...view,
    status: 'processing',
    unit_name: '高新处',
    expected_date: '2026-07-15',
    replies: [{ id: 'r1', at: '2026-06-02T02:00:00Z', content: '已受理，交高新处办理。', on: 'submission' }],
  };

  it('shows the submitters’ page with the draft as its newest reply before it is published, then posts it', async () => {
    const m = mockFetch({
      'GET /api/v1/issues/i1/public-replies': () => json([{ id: 'r1', at: '2026-06-02T02:00:00Z', content: '已受理，交高新处办理。', on: 'submission' }]),
      'GET /api/v1/issues/i1/public-view': () => json(issueView),
      'POST /api/v1/issues/i1/public-replies': () => json({ id: 'r2', at: '2026-06-03T02:00:00Z', content: '已约谈窗口负责人', on: 'issue' }, { status: 201 }),
    });
    const user = userEvent.setup();
    renderAt('/issues/i1', <IssuePublicReplies issueId="i1" canReply />);
    await waitFor(() => expect(document.querySelector('.ant-list-items')).toHaveTextContent('已受理，交高新处办理。'));
    await user.type(screen.getByLabelText('发布公开答复'), '已约谈窗口负责人');
    const preview = await screen.findByTestId('public-preview');
    await waitFor(() => expect(preview).toHaveTextContent('已约谈窗口负责人'));
    // exactly what the public reads: the unit, the expected date, the earlier reply, and no tracking code
    expect(preview).toHaveTextContent('高新处');
    expect(preview).toHaveTextContent('预计办结2026年7月15日');
    expect(preview).toHaveTextContent('已受理，交高新处办理。');
    await user.click(screen.getByRole('button', { name: /公开答复/ }));
    await waitFor(() => expect(m.find('POST', '/api/v1/issues/i1/public-replies')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/issues/i1/public-replies')[0]?.body).toEqual({ content: '已约谈窗口负责人' });
  });

  it('offers a reader no box and no preview', async () => {
    const m = mockFetch({ 'GET /api/v1/issues/i1/public-replies': () => json([]) });
    renderAt('/issues/i1', <IssuePublicReplies issueId="i1" canReply={false} />);
    expect(await screen.findByText(/暂无/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByTestId('public-preview')).toBeNull();
    expect(m.find('GET', '/api/v1/issues/i1/public-view')).toHaveLength(0);
  });
});
