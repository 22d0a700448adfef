import { act, screen, waitFor } from '@testing-library/react';
import { DatePicker, Table } from 'antd';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { mockFetch, problem } from './fetch-mock';
import { renderAt } from './render';

describe('language switch', () => {
  it('defaults to Chinese and switches every label to English, and the API language with it', async () => {
    const m = mockFetch({
      'POST /api/v1/auth/token': () => problem(401, { title: 'Wrong username or password' }),
    });
    const user = userEvent.setup();
    renderAt('/login', <AppRoutes />);
    expect(await screen.findByLabelText('用户名')).toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: '语言' }));
    await user.click(await screen.findByTitle('English'));

    expect(await screen.findByLabelText('Username')).toBeInTheDocument();
    expect(screen.queryByLabelText('用户名')).toBeNull();
    expect(window.localStorage.getItem('rectify.lang')).toBe('en');

    await user.type(screen.getByLabelText('Username'), 'office');
    await user.type(screen.getByLabelText('Password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(m.find('POST', '/api/v1/auth/token')).toHaveLength(1));
    expect(m.find('POST', '/api/v1/auth/token')[0]?.headers.get('Accept-Language')).toBe('en');
  });
});

describe("the UI library's own strings", () => {
  it('are Chinese by default (date picker, empty table) and English after the switch', async () => {
    const { i18n } = renderAt(
      '/',
      <>
        <DatePicker open />
        <Table columns={[{ title: 'x', dataIndex: 'x' }]} dataSource={[]} />
      </>,
    );
    expect(screen.getByPlaceholderText('请选择日期')).toBeInTheDocument();
    expect(screen.getByText('今天')).toBeInTheDocument();
    expect(screen.getAllByText('暂无数据').length).toBeGreaterThan(0);
    // the calendar's weekdays and month names come from dayjs' zh-cn locale
    expect(screen.getByRole('columnheader', { name: '一' })).toBeInTheDocument();
    await act(() => i18n.changeLanguage('en'));
    expect(await screen.findByPlaceholderText('Select date')).toBeInTheDocument();
    expect(screen.getByText('Today')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Mo' })).toBeInTheDocument();
  });
});
