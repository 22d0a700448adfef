import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const me = { id: 'u1', username: 'leader', display_name: '领导', role: 'leader', unit_id: null };

describe('the ledger opened from a workbench tab or a cockpit card', () => {
  it('passes the shortcut filters to the API, shows each as a tag, and drops one when its tag closes', async () => {
    setToken('tok');
    const m = mockFetch({
      'GET /api/v1/auth/me': () => json(me),
      'GET /api/v1/units': () => json({ items: [] }),
      'GET /api/v1/issues': () => json({ items: [], next_cursor: null, total: 0 }),
    });
    renderAt('/issues?open=true&deadline_from=2026-12-02&deadline_to=2026-12-07&rework=true&sort=deadline', <AppRoutes />);

    const tags = await screen.findByTestId('shortcut-filters');
    expect(within(tags).getByText('未办结')).toBeInTheDocument();
    expect(within(tags).getByText('整改时限 2026-12-02 至 2026-12-07')).toBeInTheDocument();
    expect(within(tags).getByText('返工（被退回重办）')).toBeInTheDocument();
    const first = m.find('GET', '/api/v1/issues')[0]?.url.searchParams;
    expect(first?.get('open')).toBe('true');
    expect(first?.get('deadline_from')).toBe('2026-12-02');
    expect(first?.get('deadline_to')).toBe('2026-12-07');
    expect(first?.get('rework')).toBe('true');
    expect(first?.get('sort')).toBe('deadline');

    const deadlineTag = within(tags).getByText('整改时限 2026-12-02 至 2026-12-07').closest('.ant-tag') as HTMLElement;
    await userEvent.click(within(deadlineTag).getByRole('img', { hidden: true }));
    await waitFor(() => {
      const last = m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams;
      expect(last?.get('deadline_from')).toBeNull();
      expect(last?.get('deadline_to')).toBeNull();
      expect(last?.get('open')).toBe('true');
    });
  });
});
