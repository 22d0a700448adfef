import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '@/api/token';
import { SelfInspectionBatchButton } from '@/features/self-inspection';
import { pastedSheet } from '@/features/self-inspection/api/self-inspection-api';
import { json, mockFetch, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';

const PATH = '/api/v1/issues/self-inspection/batch';

function answer(call: RecordedCall, rows: { row: number; title: string; state: 'new' | 'invalid' }[]) {
  const dryRun = call.url.searchParams.get('dry_run') === 'true';
  const errors = rows.filter((r) => r.state === 'invalid').map((r) => ({ row: r.row, field: 'measures', message: '须填写整改措施', message_en: 'measures is required' }));
  return json(
    {
      dry_run: dryRun,
      campaign_id: 'c1',
      unit_id: 'A',
      rows: rows.length,
      created: dryRun ? [] : rows.map((_, i) => `YS-2017-010${i}`),
      existing: 0,
      errors,
      preview: dryRun ? rows.map((r) => ({ ...r, cause: '原因', measures: r.state === 'new' ? '措施' : null, co_unit_ids: [] })) : [],
    },
    { status: dryRun ? 200 : 201 },
  );
}

describe('自查自纠 批量录入', () => {
  it('adds the header to rows pasted from Excel, and keeps one the paste has', async () => {
    const added = pastedSheet('问题一\t原因\t措施\r\n问题二\t原因\t措施\n');
    expect(added.offset).toBe(1);
    expect(await added.file.text()).toBe('问题\t原因\t措施\t分类\n问题一\t原因\t措施\n问题二\t原因\t措施');
    const kept = pastedSheet('问题\t原因\t措施\n问题一\t原因\t措施');
    expect(kept.offset).toBe(0);
    expect(await kept.file.text()).toBe('问题\t原因\t措施\n问题一\t原因\t措施');
  });

  it('shows each bad row by the line pasted, files nothing with errors, then files the corrected rows', async () => {
    setToken('tok');
    let bad = true;
    const m = mockFetch({
      'GET /api/v1/campaigns': () => json({ items: [{ id: 'c1', name: '优化营商环境' }] }),
      [`POST ${PATH}`]: (call) =>
        answer(call, [
          { row: 2, title: '问题一', state: 'new' },
          { row: 3, title: '问题二', state: bad ? 'invalid' : 'new' },
        ]),
    });
    const user = userEvent.setup();
    renderAt('/issues', <SelfInspectionBatchButton />);
    await user.click(screen.getByTestId('self-inspection-batch'));
    await user.click(await screen.findByTestId('batch-paste'));
    await user.paste('问题一\t原因\t措施\n问题二\t原因\t');
    await user.click(screen.getByTestId('batch-check'));
    expect(await screen.findByText(/须填写整改措施/)).toBeInTheDocument();
    // the second pasted line, not the sheet's row 3
    const invalid = document.querySelector('tr.import-row-invalid');
    expect(invalid?.textContent).toMatch(/^2有错误问题二/);
    expect(screen.getByTestId('batch-submit')).toBeDisabled();
    const [checkCall] = m.find('POST', PATH);
    expect(checkCall?.url.searchParams.get('dry_run')).toBe('true');
    expect(checkCall?.url.searchParams.get('campaign_id')).toBe('c1');
    const sent = (checkCall?.body as FormData).get('file') as File;
    expect((await sent.text()).split('\n')[0]).toBe('问题\t原因\t措施\t分类');

    bad = false;
    await user.type(screen.getByTestId('batch-paste'), '措施');
    expect(screen.queryByTestId('batch-preview')).toBeNull(); // an edit asks for a new check
    await user.click(screen.getByTestId('batch-check'));
    await waitFor(() => expect(screen.getByTestId('batch-submit')).toBeEnabled());
    await user.click(screen.getByTestId('batch-submit'));
    await waitFor(() => expect(m.find('POST', PATH).filter((c) => c.url.searchParams.get('dry_run') === 'false')).toHaveLength(1));
    expect(await screen.findByText(/已提交 2 条/)).toBeInTheDocument();
  });
});
