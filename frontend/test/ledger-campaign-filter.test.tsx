import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import type { CampaignOut } from '@/api/generated/openapi';
import { filtersOfView, viewFiltersOf } from '@/features/issues/lib/ledger-query';
import { json, mockFetch, type RecordedCall } from './fetch-mock';
import { renderAt } from './render';

const me = { id: 'u1', username: 'office', display_name: '办公室', role: 'office', unit_id: null };

const campaign = (id: string, name: string, phases: [string, string][]): CampaignOut => ({
  id,
  code: id.toUpperCase(),
  name,
  description: null,
  starts_on: '2026-03-01',
  ends_on: '2026-12-31',
  escalation_policy: 'default',
  phases: phases.map(([pid, pname]) => ({ id: pid, code: pid, name: pname, starts_on: '2026-03-01', ends_on: '2026-12-31' })),
  categories: [{ id: `${id}-k1`, code: 'K1', name: `${name}分类`, parent_id: null }],
});

const ZF = campaign('c9', '作风纪律专项整治行动', [
  ['p1', '自查自纠阶段'],
  ['p2', '集中整治阶段'],
]);
const YS = campaign('c1', '营商环境专项行动', [['p9', '整改阶段']]);

function item(n: number) {
  return {
    id: `i${n}`,
    code: `ZF-2026-${String(n).padStart(4, '0')}`,
    campaign_id: 'c9',
    kind: 'problem',
    source: 'assigned',
    title: `作风问题${n}`,
    description: '',
    status: 'in_progress',
    lead_unit_id: 'unit-a',
    deadline: '2026-10-30',
    progress_percent: 0,
    created_at: '2026-03-02T00:00:00Z',
  };
}

function backend(campaigns: () => Response | Promise<Response> = () => json({ items: [YS, ZF], next_cursor: null, total: 2 })) {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/units': () => json({ items: [{ id: 'unit-a', name: '政策法规与监督处' }] }),
    'GET /api/v1/campaigns': campaigns,
    'GET /api/v1/campaigns/c9': () => json(ZF),
    'GET /api/v1/campaigns/c1': () => json(YS),
    'GET /api/v1/issues': (call: RecordedCall) => {
      const offset = Number(call.url.searchParams.get('offset'));
      return json({ items: [item(offset + 1)], next_cursor: null, total: 45 });
    },
  });
}

const selected = (testId: string) => screen.getByTestId(testId).querySelector('.ant-select-selection-item');

describe('the ledger filtered by a campaign from its URL (/issues?campaign_id=…)', () => {
  it('sends campaign_id and phase_id, names the campaign and its phase, and keeps both when paging and sorting', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues?campaign_id=c9&phase_id=p2', <AppRoutes />);

    expect(await screen.findByText('作风问题1')).toBeInTheDocument();
    await waitFor(() => expect(selected('ledger-campaign-filter')).toHaveTextContent('作风纪律专项整治行动'));
    await waitFor(() => expect(selected('ledger-phase-filter')).toHaveTextContent('集中整治阶段'));
    expect(screen.queryByText('c9')).toBeNull();
    expect(screen.queryByText('p2')).toBeNull();
    const first = m.find('GET', '/api/v1/issues')[0]?.url.searchParams;
    expect(first?.get('campaign_id')).toBe('c9');
    expect(first?.get('phase_id')).toBe('p2');

    await user.click(screen.getByTitle('2'));
    expect(await screen.findByText('作风问题21')).toBeInTheDocument();
    const paged = m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams;
    expect([paged?.get('offset'), paged?.get('campaign_id'), paged?.get('phase_id')]).toEqual(['20', 'c9', 'p2']);

    await user.click(screen.getByRole('combobox', { name: '排序' }));
    await user.click(await screen.findByTitle('整改时限（近→远）'));
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('sort')).toBe('deadline'));
    const sorted = m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams;
    expect([sorted?.get('campaign_id'), sorted?.get('phase_id')]).toEqual(['c9', 'p2']);
  });

  it('drops the campaign and its phase when the campaign is cleared', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues?campaign_id=c9&phase_id=p2', <AppRoutes />);
    await waitFor(() => expect(selected('ledger-campaign-filter')).toHaveTextContent('作风纪律专项整治行动'));

    await user.click(screen.getByTestId('ledger-campaign-filter').querySelector('.ant-select-clear') as HTMLElement);
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('campaign_id')).toBeNull());
    expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('phase_id')).toBeNull();
    expect(screen.queryByTestId('ledger-phase-filter')).toBeNull();
    expect(selected('ledger-campaign-filter')).toBeNull();
  });

  it('chooses a campaign by its name and then one of its phases', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/issues', <AppRoutes />);
    await screen.findByText('作风问题1');
    expect(screen.queryByTestId('ledger-phase-filter')).toBeNull();

    await user.click(screen.getByRole('combobox', { name: '专项行动' }));
    await user.click(await screen.findByTitle('作风纪律专项整治行动'));
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('campaign_id')).toBe('c9'));
    await user.click(within(screen.getByTestId('ledger-phase-filter')).getByRole('combobox'));
    await user.click(await screen.findByTitle('自查自纠阶段'));
    await waitFor(() => expect(m.find('GET', '/api/v1/issues').at(-1)?.url.searchParams.get('phase_id')).toBe('p1'));
  });

  it('says 加载中… rather than the id until the names come, and 未知专项行动 for an id that names none', async () => {
    let release: (r: Response) => void = () => undefined;
    const waiting = new Promise<Response>((resolve) => {
      release = resolve;
    });
    const m = backend(() => waiting);
    // GET /api/v1/campaigns/gone answers 404, as the API does for an id that names no campaign
    renderAt('/issues?campaign_id=gone', <AppRoutes />);
    await screen.findByText('作风问题1');
    expect(selected('ledger-campaign-filter')).toHaveTextContent('加载中…');
    expect(screen.queryByText('gone')).toBeNull();

    release(json({ items: [YS, ZF], next_cursor: null, total: 2 }));
    await waitFor(() => expect(selected('ledger-campaign-filter')).toHaveTextContent('未知专项行动'));
    expect(screen.queryByText('gone')).toBeNull();
    expect(m.find('GET', '/api/v1/issues')[0]?.url.searchParams.get('campaign_id')).toBe('gone');
  });
});

describe('a saved view of a campaign\'s ledger', () => {
  it('keeps the campaign and the phase and reads them back', () => {
    const filters = { campaign_id: 'c9', phase_id: 'p2', status: 'in_progress' };
    const view = viewFiltersOf(filters);
    expect(view).toEqual({ campaign_id: 'c9', phase_id: 'p2', status: ['in_progress'] });
    expect(filtersOfView({ filters: view })).toEqual(filters);
  });
});
