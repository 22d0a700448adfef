import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '@/api/token';
import { ImportPage } from '@/features/imports';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const preview = (state: 'new' | 'invalid') => [
  { row: 3, state: 'new', title: '审批环节多', lead_unit_id: 'A', co_unit_ids: [], deadline: '2027-03-31', category_id: null, phase_id: null },
  { row: 4, state, title: '收费不透明', lead_unit_id: null, co_unit_ids: [], deadline: null, category_id: null, phase_id: null },
];

describe('导入台账', () => {
  it('previews every row with its errors in red and imports only a clean file, with the progress', async () => {
    setToken('tok');
    let bad = true;
    let polls = 0;
    const m = mockFetch({
      'GET /api/v1/campaigns': () => json({ items: [{ id: 'c1', name: '优化营商环境' }] }),
      'GET /api/v1/units': () => json({ items: [{ id: 'A', name: '政策法规与监督处' }] }),
      'POST /api/v1/issues/import': () =>
        json({
          dry_run: true,
          campaign_id: 'c1',
          rows: 2,
          created: [],
          existing: 0,
          errors: bad ? [{ row: 4, field: 'lead_unit', message: '未知单位：法规科', message_en: 'unknown unit' }] : [],
          preview: preview(bad ? 'invalid' : 'new'),
        }),
      'POST /api/v1/issues/import-jobs': () => json({ id: 'j1', campaign_id: 'c1', status: 'running', filename: '台账.xlsx', total: 2, done: 0, existing: 0, created: [], error: null, created_at: '2026-12-01T00:00:00Z', finished_at: null }, { status: 202 }),
      'GET /api/v1/issues/import-jobs/j1': () => {
        polls += 1;
        const done = polls > 1;
        return json({ id: 'j1', campaign_id: 'c1', status: done ? 'done' : 'running', filename: '台账.xlsx', total: 2, done: done ? 2 : 1, existing: 0, created: done ? ['YS-2026-0400', 'YS-2026-0401'] : ['YS-2026-0400'], error: null, created_at: '2026-12-01T00:00:00Z', finished_at: null });
      },
    });
    const user = userEvent.setup();
    const { container } = renderAt('/issues/import', <ImportPage />);
    const input = () => container.querySelector<HTMLInputElement>('input[type=file]') as HTMLInputElement;
    await user.upload(input(), new File(['x'], '台账.xlsx'));
    expect(await screen.findByText('责任单位：未知单位：法规科')).toBeInTheDocument();
    expect(screen.getByTestId('import-has-errors')).toHaveTextContent('有 1 处错误');
    expect(screen.getByText('政策法规与监督处')).toBeInTheDocument(); // the lead unit by name
    expect(screen.getByTestId('import-write')).toBeDisabled();
    expect(m.find('POST', '/api/v1/issues/import')[0]?.url.searchParams.get('dry_run')).toBe('true');

    bad = false;
    await user.upload(input(), new File(['y'], '台账.xlsx'));
    await waitFor(() => expect(screen.getByTestId('import-write')).toBeEnabled());
    await user.click(screen.getByTestId('import-write'));
    expect(await screen.findByTestId('import-progress')).toBeInTheDocument();
    expect(await screen.findByText('导入完成，新增 2 条', undefined, { timeout: 5000 })).toBeInTheDocument();
    expect(m.find('POST', '/api/v1/issues/import-jobs')).toHaveLength(1);
  });
});
