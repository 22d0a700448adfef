import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

describe('language switch', () => {
  it('defaults to Chinese and switches every label to English, and the API language with it', async () => {
    const m = mockFetch({
      'POST /api/v1/public/submissions': () => json({ tracking_code: 'AAAA-BBBB' }),
    });
    const user = userEvent.setup();
    renderAt('/submit', <AppRoutes />);
    expect(await screen.findByText('提交诉求', { selector: '.ant-card-head-title' })).toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: '语言' }));
    await user.click(await screen.findByTitle('English'));

    expect(await screen.findByText('Submit a complaint', { selector: '.ant-card-head-title' })).toBeInTheDocument();
    expect(screen.getByLabelText('Subject')).toBeInTheDocument();
    expect(screen.queryByLabelText('诉求标题')).toBeNull();
    expect(window.localStorage.getItem('rectify.lang')).toBe('en');

    await user.type(screen.getByLabelText('Subject'), 'x');
    await user.type(screen.getByLabelText('Details'), 'y');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await screen.findByTestId('tracking-code');
    expect(m.calls[0]?.headers.get('Accept-Language')).toBe('en');
  });
});
