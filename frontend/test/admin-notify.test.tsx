import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';
import { setToken } from '@/api/token';

const admin = { id: 'u0', username: 'admin', display_name: '管理员', role: 'admin', unit_id: null };
const office = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };

function signIn(me: object, routes: Parameters<typeof mockFetch>[0] = {}) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [], next_cursor: null, total: 0 }),
    ...routes,
  });
}

describe('escalation policy', () => {
  const policy = {
    campaign_id: 'c1',
    is_default: true,
    version: 0,
    source: 'default',
    ack_within_wd: 2,
    steps: [
      { code: 'T-1', anchor: 'deadline', offset_wd: -1, level: 0, recipients: ['lead_unit'], channels: ['inbox', 'email'] },
      { code: 'T+3', anchor: 'deadline', offset_wd: 3, level: 2, recipients: ['lead_unit', 'office'], channels: ['inbox', 'sms'] },
    ],
  };

  it('sends the edited policy whole and shows a 422 problem on the step it names', async () => {
    const m = signIn(office, {
      'GET /api/v1/campaigns': () => json([{ id: 'c1', name: '2026 专项整治' }]),
      'GET /api/v1/escalation-policies/c1': () => json(policy),
      'PUT /api/v1/escalation-policies/c1': () =>
        problem(422, {
          title: '请求参数不合法',
          errors: [
            { field: 'steps.1.offset_wd', message: 'Input should be less than or equal to 60' },
            { field: 'steps.2', message: 'Value error, every step goes to the in-app inbox' },
          ],
        }),
    });
    const user = userEvent.setup();
    renderAt('/admin/escalation-policies', <AppRoutes />);
    expect(await screen.findByDisplayValue('T+3')).toBeInTheDocument();
    expect(screen.getByText('默认策略')).toBeInTheDocument();

    const offset = screen.getByLabelText('工作日偏移 2');
    await user.clear(offset);
    await user.type(offset, '5');
    await user.click(screen.getByRole('button', { name: /添加步骤/ }));
    await user.type(screen.getByLabelText('步骤代码 3'), 'T+7');
    await user.clear(screen.getByLabelText('工作日偏移 3'));
    await user.type(screen.getByLabelText('工作日偏移 3'), '7');
    await user.click(screen.getByRole('button', { name: '保存策略' }));

    await waitFor(() => expect(m.find('PUT', '/api/v1/escalation-policies/c1')).toHaveLength(1));
    expect(m.find('PUT', '/api/v1/escalation-policies/c1')[0]?.body).toEqual({
      ack_within_wd: 2,
      steps: [
        policy.steps[0],
        { ...policy.steps[1], offset_wd: 5 },
        { code: 'T+7', anchor: 'deadline', offset_wd: 7, level: 0, recipients: ['lead_unit'], channels: ['inbox'] },
      ],
    });
    const cell = screen.getByLabelText('工作日偏移 2').closest('.ant-form-item') as HTMLElement;
    expect(await within(cell).findByText('Input should be less than or equal to 60')).toBeInTheDocument();
    const alert = screen.getByText('策略未保存，请修改以下问题：').closest('.ant-alert') as HTMLElement;
    expect(within(alert).getByText(/第 3 步\s*：Value error, every step goes to the in-app inbox/)).toBeInTheDocument();
  });
});

describe('working-day calendar', () => {
  it('puts the existing overrides and the added one, and warns of a provisional year', async () => {
    let year = 0;
    const m = signIn(admin, {
      'GET /api/v1/calendar': (call) => {
        year = Number(call.url.searchParams.get('year'));
        return json({
          year,
          provisional: true,
          warnings: [`${year + 1} 年节假日安排尚未录入`],
          warnings_en: [`The official calendar for ${year + 1} is missing`],
          days: [
            { date: `${year}-01-01`, is_working: false, source: 'official', note: '元旦' },
            { date: `${year}-02-14`, is_working: false, source: 'override', note: '' },
          ],
        });
      },
      'PUT /api/v1/calendar': (call) => json({ year, provisional: true, warnings: [], warnings_en: [], days: [], ...(call.body as object) }),
    });
    const user = userEvent.setup();
    renderAt('/admin/calendar', <AppRoutes />);
    expect(await screen.findByText('元旦')).toBeInTheDocument();
    expect(screen.getByText(`${year} 年节假日安排未录入`)).toBeInTheDocument();
    // the API's warning in the UI's language only
    expect(screen.getByText(`${year + 1} 年节假日安排尚未录入`)).toBeInTheDocument();
    expect(screen.queryByText(/is missing/)).toBeNull();
    expect(screen.getByText('国务院安排')).toBeInTheDocument();

    await user.click(screen.getByLabelText('日期'));
    await user.type(screen.getByLabelText('日期'), `${year}-10-10`);
    await user.click(screen.getByRole('combobox', { name: '类型' }));
    await user.click(await screen.findByTitle('调休上班'));
    await user.type(screen.getByLabelText('备注'), '国庆调休');
    await user.click(screen.getByRole('button', { name: '添加调整' }));

    await waitFor(() => expect(m.find('PUT', '/api/v1/calendar')).toHaveLength(1));
    expect(m.find('PUT', '/api/v1/calendar')[0]?.body).toEqual({
      year,
      complete: false,
      overrides: [
        { date: `${year}-02-14`, is_working: false, note: '' },
        { date: `${year}-10-10`, is_working: true, note: '国庆调休' },
      ],
    });
  });
});

describe('channels', () => {
  const channels = [
    { channel: 'dingtalk', enabled: true, config: { webhook_url: 'https://oapi.dingtalk.com/robot/send?access_token=x' }, has_secret: true },
  ];

  it('never shows the secret and sends one only when a new one is typed', async () => {
    const m = signIn(office, {
      'GET /api/v1/channels': () => json(channels),
      'PUT /api/v1/channels': (call) => json({ ...channels[0], ...(call.body as object), has_secret: true }),
    });
    const user = userEvent.setup();
    renderAt('/admin/channels', <AppRoutes />);
    const form = await screen.findByRole('form', { name: '钉钉' });
    expect(within(form).getByDisplayValue('https://oapi.dingtalk.com/robot/send?access_token=x')).toBeInTheDocument();
    const secret = within(form).getByLabelText('密钥');
    expect(secret).toHaveValue('');
    expect(secret).toHaveAttribute('placeholder', '已设置（不显示）');
    expect(screen.getByRole('form', { name: '短信' })).toHaveTextContent('尚未设置密钥。');

    await user.click(within(form).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(m.find('PUT', '/api/v1/channels')).toHaveLength(1));
    expect(m.find('PUT', '/api/v1/channels')[0]?.body).toEqual({
      channel: 'dingtalk',
      enabled: true,
      webhook_url: 'https://oapi.dingtalk.com/robot/send?access_token=x',
    });

    const again = await screen.findByRole('form', { name: '钉钉' });
    await user.type(within(again).getByLabelText('密钥'), 'SEC-new-signing-key');
    await user.click(within(again).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(m.find('PUT', '/api/v1/channels')).toHaveLength(2));
    expect(m.find('PUT', '/api/v1/channels')[1]?.body).toMatchObject({ channel: 'dingtalk', secret: 'SEC-new-signing-key' });
    await waitFor(() => expect(within(screen.getByRole('form', { name: '钉钉' })).getByLabelText('密钥')).toHaveValue(''));
  });
});
