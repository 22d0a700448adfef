import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';

const CODE = 'K7QF-3MZP-8WXD-2RTA';

describe('public track page', () => {
  it('shows status, reply and timeline, and sends feedback once closed', async () => {
    const m = mockFetch({
      [`GET /api/v1/public/submissions/${CODE}`]: () =>
        json({
          tracking_code: CODE,
          status: 'closed',
          title: '办事窗口推诿',
          submitted_at: '2017-08-01T02:00:00Z',
          public_reply: '已督促窗口整改并约谈负责人。',
          timeline: [
            { at: '2017-08-01T02:00:00Z', status: 'submitted', text: '诉求已提交', text_en: 'Submitted' },
            { at: '2017-08-03T02:00:00Z', status: 'accepted', text: '已受理', text_en: 'Accepted' },
          ],
          can_feedback: true,
          feedback: null,
        }),
      [`POST /api/v1/public/submissions/${CODE}/feedback`]: () => json({ ok: true }),
    });
    const user = userEvent.setup();
    renderAt(`/track/${CODE}`, <AppRoutes />);

    expect(await screen.findByTestId('public-status')).toHaveTextContent('已办结');
    expect(screen.getByText('已督促窗口整改并约谈负责人。')).toBeInTheDocument();
    expect(screen.getByText('诉求已提交')).toBeInTheDocument();

    await user.click(screen.getByLabelText('满意'));
    await user.click(screen.getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByText('感谢您的评价！')).toBeInTheDocument();
    const [call] = m.find('POST', `/api/v1/public/submissions/${CODE}/feedback`);
    expect(call?.body).toEqual({ satisfied: true, rating: 5 });
    expect(call?.headers.get('Authorization')).toBeNull();
  });

  it('does not offer feedback while the submission is open', async () => {
    mockFetch({
      [`GET /api/v1/public/submissions/${CODE}`]: () =>
        json({
          tracking_code: CODE,
          status: 'processing',
          title: '办事窗口推诿',
          submitted_at: '2017-08-01T02:00:00Z',
          timeline: [],
          public_reply: null,
          can_feedback: false,
          feedback: null,
        }),
    });
    renderAt(`/track/${CODE}`, <AppRoutes />);
    expect(await screen.findByTestId('public-status')).toHaveTextContent('办理中');
    expect(screen.getByText('暂无答复')).toBeInTheDocument();
    expect(screen.queryByText('满意度评价')).toBeNull();
  });

  it('says so when the code is unknown', async () => {
    mockFetch({ [`GET /api/v1/public/submissions/NOPE`]: () => problem(404, { title: 'Not Found' }) });
    renderAt('/track/NOPE', <AppRoutes />);
    expect(await screen.findByText('未找到该查询码对应的诉求，请核对后重试。')).toBeInTheDocument();
  });

  it('submitting a complaint shows the tracking code prominently', async () => {
    const m = mockFetch({ 'POST /api/v1/public/submissions': () => json({ tracking_code: CODE }, { status: 201 }) });
    const user = userEvent.setup();
    renderAt('/submit', <AppRoutes />);
    await user.type(await screen.findByLabelText('诉求标题'), '审批太慢');
    await user.type(screen.getByLabelText('诉求内容'), '材料齐全仍要求补件');
    await user.click(screen.getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByTestId('tracking-code')).toHaveTextContent(CODE);
    await waitFor(() => expect(m.find('POST', '/api/v1/public/submissions')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/public/submissions')[0]?.body).toEqual({ title: '审批太慢', content: '材料齐全仍要求补件' });
  });
});
