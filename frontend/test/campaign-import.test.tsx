import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '@/api/token';
import type { CampaignImportPreview } from '@/api/generated/openapi';
import { CampaignImportPage, ImportCenter } from '@/features/imports';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

const clean: CampaignImportPreview = {
  dry_run: true,
  importable: true,
  campaign: {
    code: 'ZF',
    name: '作风纪律专项整治行动',
    description: null,
    starts_on: '2026-03-01',
    ends_on: '2026-12-31',
    escalation_policy: 'default',
    require_completion_evidence: false,
    code_taken: false,
    existing_campaign_id: null,
  },
  phases: [{ index: 0, code: 'rectify', name: '集中整治阶段', starts_on: '2026-03-01', ends_on: '2026-10-31', concentrated: true }],
  categories: [{ index: 0, code: 'ZF1', name: '服务态度', parent: null }],
  units: [
    { index: 0, code: 'SJZ', name: '石家庄', kind: 'city', parent: null, short_name: null, aliases: [], action: 'match', existing_id: 'u1', existing_name: '石家庄市' },
    { index: 1, code: 'BD', name: '保定市', kind: 'city', parent: null, short_name: null, aliases: [], action: 'create', existing_id: null, existing_name: null },
  ],
  tasks: [
    {
      index: 0,
      code: 'T1',
      title: '窗口服务态度整改',
      category: 'ZF1',
      category_name: '服务态度',
      lead_unit: { code: 'SJZ', name: '石家庄市' },
      co_units: [{ code: 'BD', name: '保定市' }],
      deadline: '2026-06-30',
      phase: 'rectify',
      phase_name: '集中整治阶段',
    },
  ],
  units_to_create: 1,
  units_matched: 1,
  tasks_to_create: 1,
  problems: [],
};

const broken: CampaignImportPreview = {
  ...clean,
  importable: false,
  tasks: [{ ...clean.tasks[0]!, lead_unit: { code: 'XT', name: null } }],
  problems: [
    { field: 'tasks[0].lead_unit', message: '任务 T1 引用了未知的单位 XT' },
    { field: 'phases', message: '缺少集中整治阶段' },
  ],
};

const imported = {
  campaign: { id: 'c9', code: 'ZF', name: '作风纪律专项整治行动', description: null, starts_on: '2026-03-01', ends_on: '2026-12-31', escalation_policy: 'default', require_completion_evidence: false, phases: [], categories: [] },
  units_created: 1,
  tasks_created: 1,
};

const upload = async (container: HTMLElement, user: ReturnType<typeof userEvent.setup>, name = 'zf.yaml') => {
  const input = container.querySelector<HTMLInputElement>('input[type=file]') as HTMLInputElement;
  await user.upload(input, new File(['campaign: {}'], name, { type: 'application/yaml' }));
};

describe('导入专项行动定义文件', () => {
  it('shows every problem with its field path, in the list and on its row, and imports only a clean file', async () => {
    setToken('tok');
    let preview = broken;
    const m = mockFetch({
      'POST /api/v1/campaigns/import': (call) =>
        call.url.searchParams.get('dry_run') === 'true' ? json(preview) : json(imported, { status: 201 }),
    });
    const user = userEvent.setup({ applyAccept: false });
    const { container } = renderAt('/issues/import', <CampaignImportPage />);
    await upload(container, user);

    const problems = await screen.findByTestId('campaign-problems');
    expect(problems).toHaveTextContent('有 2 个问题');
    expect(within(problems).getByText('tasks[0].lead_unit')).toBeInTheDocument();
    expect(within(problems).getByText('phases')).toBeInTheDocument();
    const tasks = screen.getByTestId('campaign-preview-tasks');
    expect(within(tasks).getByText('XT（未知单位）')).toBeInTheDocument();
    expect(tasks.querySelector('.import-row-invalid')).toHaveTextContent('任务 T1 引用了未知的单位 XT');
    expect(screen.getByTestId('campaign-import-write')).toBeDisabled();
    expect(m.find('POST', '/api/v1/campaigns/import')).toHaveLength(1);

    preview = clean;
    await upload(container, user);
    await waitFor(() => expect(screen.getByTestId('campaign-import-write')).toBeEnabled());
    expect(screen.queryByTestId('campaign-problems')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('campaign-import-write'));

    expect(await screen.findByText('已导入专项行动「作风纪律专项整治行动」')).toBeInTheDocument();
    expect(screen.getByText('新建单位 1 个，登记并交办任务 1 项')).toBeInTheDocument();
    expect(screen.getByTestId('campaign-import-ledger')).toHaveAttribute('href', '/issues?campaign_id=c9');
    const calls = m.find('POST', '/api/v1/campaigns/import');
    expect(calls.map((c) => c.url.searchParams.get('dry_run'))).toEqual(['true', 'true', null]);
    expect(calls[2]?.body).toBeInstanceOf(FormData);
    expect((calls[2]?.body as FormData).get('file')).toBeInstanceOf(File);
  });

  it('tells new units from existing ones, and refuses to import a code that is taken', async () => {
    setToken('tok');
    const taken: CampaignImportPreview = {
      ...clean,
      importable: false,
      campaign: { ...clean.campaign!, code_taken: true, existing_campaign_id: 'c1' },
    };
    mockFetch({ 'POST /api/v1/campaigns/import': () => json(taken) });
    const user = userEvent.setup({ applyAccept: false });
    const { container } = renderAt('/issues/import', <CampaignImportPage />);
    await upload(container, user);

    expect(await screen.findByTestId('campaign-code-taken')).toHaveTextContent('编码 ZF 已被现有专项行动占用');
    expect(within(screen.getByTestId('campaign-preview-header')).getByText('编码已被占用')).toBeInTheDocument();
    expect(screen.getByTestId('campaign-preview-summary')).toHaveTextContent('新建单位 1');
    expect(screen.getByTestId('campaign-preview-summary')).toHaveTextContent('沿用已有单位 1');
    const units = screen.getByTestId('campaign-preview-units');
    expect(within(units).getByText('沿用已有')).toBeInTheDocument();
    expect(within(units).getByText('新建')).toBeInTheDocument();
    // The existing unit keeps its own name: items will show it, and what the file calls it is beside it.
    expect(within(units).getByText('石家庄市')).toBeInTheDocument();
    expect(within(units).getByText('文件写作：石家庄')).toBeInTheDocument();
    expect(screen.getByTestId('campaign-import-write')).toBeDisabled();
  });

  it('is the second tab of the import page, opened by ?kind=campaign', async () => {
    setToken('tok');
    mockFetch({
      'GET /api/v1/campaigns': () => json({ items: [] }),
      'GET /api/v1/units': () => json({ items: [] }),
    });
    const user = userEvent.setup();
    renderAt('/issues/import?kind=campaign', <ImportCenter />, '/issues/import');
    expect(await screen.findByTestId('campaign-import-page')).toBeInTheDocument();
    expect(screen.queryByTestId('import-page')).not.toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: '整改台账' }));
    expect(await screen.findByTestId('import-page')).toBeInTheDocument();
  });
});
