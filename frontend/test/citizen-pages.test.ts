import { screen, waitFor } from '@testing-library/dom';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { texts } from '@citizen/i18n';
import { submitPage } from '@citizen/submit-page';
import { trackView } from '@citizen/track-view';
import type { PublicSubmission } from '@citizen/types';
import { json, mockFetch, problem } from './fetch-mock';

afterEach(() => document.body.replaceChildren());

function mount(): HTMLElement {
  const root = document.createElement('main');
  document.body.append(root);
  return root;
}

describe('the public submit page', () => {
  it('sends one Idempotency-Key per fill, the same on a retry, and shows the code', async () => {
    let calls = 0;
    const m = mockFetch({
      'POST /api/v1/public/submissions': () => {
        calls += 1;
        return calls === 1 ? problem(503, { title: '服务暂不可用' }) : json({ tracking_code: 'K7QM-2XPD-9HTR-W4NB', folded: false }, { status: 201 });
      },
    });
    const user = userEvent.setup();
    submitPage(mount(), texts('zh'));
    await user.type(screen.getByLabelText(/标题/), '窗口推诿');
    await user.type(screen.getByLabelText(/具体情况/), '三次补件仍不受理。');
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect(await screen.findByText(/服务暂不可用/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect((await screen.findByTestId('tracking-code')).textContent).toBe('K7QM-2XPD-9HTR-W4NB');
    const [first, second] = m.find('POST', '/api/v1/public/submissions');
    expect(first?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
    expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
    expect(first?.body).toEqual({ title: '窗口推诿', content: '三次补件仍不受理。' });
  });

  it('asks for a phone before SMS updates and keeps the trap field out of reach', async () => {
    const m = mockFetch({});
    const user = userEvent.setup();
    submitPage(mount(), texts('zh'));
    await user.type(screen.getByLabelText(/标题/), '窗口推诿');
    await user.type(screen.getByLabelText(/具体情况/), '三次补件仍不受理。');
    await user.click(screen.getByLabelText(/短信告知/));
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect(await screen.findByText('选择短信告知需填写手机号')).toBeVisible();
    expect(m.calls).toHaveLength(0);
    const trap = document.querySelector<HTMLInputElement>('input[name=website]');
    expect(trap?.tabIndex).toBe(-1);
    expect(trap?.closest('[aria-hidden=true]')).not.toBeNull();
  });
});

describe('the tracking page', () => {
  const data: PublicSubmission = {
    tracking_code: 'K7QM-2XPD-9HTR-W4NB',
    status: 'processing',
    title: '审批材料重复提交',
    submitted_at: '2026-06-01T02:00:00Z',
    timeline: [],
    public_reply: '已交高新处办理。',
    can_feedback: false,
    feedback: null,
    stages: [{ key: 'assigned', done: true, current: true, at: '2026-06-02T02:00:00Z', text: '已交办', text_en: 'Assigned', detail: '已交由高新处负责办理。', detail_en: 'Handed to 高新处.' }],
    unit_name: '高新处',
    expected_date: '2026-07-15',
    replies: [{ id: 'r1', at: '2026-06-02T02:00:00Z', content: '已交高新处办理。', on: 'submission' }],
    followup: null,
    can_appeal: false,
    appeal: null,
  };

  it('names the unit and the expected date and shows every reply', () => {
    document.body.append(trackView(data, texts('zh'), 'zh', null));
    expect(screen.getByTestId('unit-name').textContent).toBe('高新处');
    expect(screen.getByTestId('expected-date').textContent).toBe('2026年7月15日');
    expect(screen.getByTestId('public-status').textContent).toBe('办理中');
    expect(screen.getByTestId('replies')).toHaveTextContent('已交高新处办理。');
  });

  it('shows the submitter their own text after the last four digits of their phone', async () => {
    const user = userEvent.setup();
    const reveal = (tail: string) =>
      tail === '5678'
        ? Promise.resolve({ title: data.title, content: '同一份复印件交三次。', city: null, enterprise_name: null, submitted_at: data.submitted_at, notify_by: null })
        : Promise.reject(new Error('wrong'));
    const actions = { feedback: () => Promise.resolve(data), appeal: () => Promise.resolve(data), reveal, redraw: () => undefined };
    document.body.append(trackView(data, texts('zh'), 'zh', actions));
    await user.type(screen.getByLabelText(/手机号后四位/), '5678');
    await user.click(screen.getByRole('button', { name: '查看' }));
    await waitFor(() => expect(screen.getByTestId('revealed')).toHaveTextContent('同一份复印件交三次。'));
  });

  it('takes a rating once the issue is closed, then an appeal once against the office’s answer', async () => {
    const user = userEvent.setup();
    const sent: unknown[] = [];
    const closed: PublicSubmission = { ...data, status: 'closed', can_feedback: true };
    const rated: PublicSubmission = {
      ...closed,
      can_feedback: false,
      feedback: { satisfied: false, rating: 2, comment: '仍要重复提交' },
      followup: 'pending',
    };
    const answered: PublicSubmission = { ...rated, followup: 'answered', can_appeal: true };
    const appealed: PublicSubmission = { ...answered, can_appeal: false, appeal: { at: '2026-06-09T02:00:00Z', reason: '答复未解决问题' } };
    const actions = (next: PublicSubmission) => ({
      feedback: (rating: number, comment: string) => (sent.push({ rating, comment }), Promise.resolve(next)),
      appeal: (reason: string) => (sent.push({ reason }), Promise.resolve(next)),
      reveal: () => Promise.reject(new Error('unused')),
      redraw: () => undefined,
    });

    document.body.append(trackView(closed, texts('zh'), 'zh', actions(rated)));
    await user.click(screen.getByLabelText(/2 · 不满意/));
    await user.type(screen.getByLabelText(/意见/), '仍要重复提交');
    await user.click(screen.getByRole('button', { name: '提交评价' }));
    await waitFor(() => expect(sent).toEqual([{ rating: 2, comment: '仍要重复提交' }]));

    document.body.replaceChildren(trackView(rated, texts('zh'), 'zh', actions(rated)));
    expect(screen.getByTestId('your-rating')).toHaveTextContent('不满意 · 2/5');
    expect(screen.queryByTestId('feedback-form')).toBeNull();
    expect(screen.queryByTestId('appeal-form')).toBeNull();

    document.body.replaceChildren(trackView(answered, texts('zh'), 'zh', actions(appealed)));
    await user.type(screen.getByLabelText(/申诉理由/), '答复未解决问题');
    await user.click(screen.getByRole('button', { name: '提交申诉' }));
    await waitFor(() => expect(sent.at(-1)).toEqual({ reason: '答复未解决问题' }));

    document.body.replaceChildren(trackView(appealed, texts('zh'), 'zh', actions(appealed)));
    expect(screen.getByText('您已申诉')).toBeInTheDocument();
    expect(screen.queryByTestId('appeal-form')).toBeNull();
  });
});
