import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '@/app/routes';
import { setToken } from '@/api/token';
import type { CampaignOut, PhaseRow } from '@/api/generated/openapi';
import { json, mockFetch } from './fetch-mock';
import { renderAt } from './render';

// jsdom has no canvas: the charts are not under test here
const leader = { id: 'u3', username: 'leader', display_name: '组长', role: 'leader', unit_id: null };
const fresh = { as_of_seq: 42, lag_events: 0, checked_at: new Date().toISOString() };

const campaign = (id: string, name: string, phases: [string, string][]): CampaignOut => ({
  id,
  code: id.toUpperCase(),
  name,
  description: null,
  starts_on: '2026-03-01',
  ends_on: '2026-12-31',
  escalation_policy: 'default',
  phases: phases.map(([pid, pname], i) => ({
    id: pid,
    code: `P${i + 1}`,
    name: pname,
    starts_on: i ? '2026-06-01' : '2026-03-01',
    ends_on: i ? '2026-12-31' : '2026-05-31',
  })),
  categories: [],
});

const P1 = '0f100000-0000-4000-8000-000000000001';
const P2 = '0f200000-0000-4000-8000-000000000002';
const ZF = campaign('c9', '作风纪律专项整治行动', [
  [P1, '自查自纠阶段'],
  [P2, '集中整治阶段'],
]);
const YS = campaign('c1', '营商环境专项行动', [['0f900000-0000-4000-8000-000000000009', '整改阶段']]);

function phaseRow(phase_id: string | null, phase_name: string, total: number, closed: number, overdue: number): PhaseRow {
  const dated = phase_id === P2;
  return {
    phase_id, phase_code: '', phase_name, starts_on: dated ? '2026-06-01' : null, ends_on: dated ? '2026-12-31' : null,
    total, open: total - closed, closed, cancelled: 0, overdue, closure_rate: total ? closed / total : null,
    on_time_rate: closed ? 0.5 : null,
  };
}

/** report-api answers the summary of a phase with that phase's row only, and of a campaign with every phase's. */
function summary(campaignId: string | null, phaseId: string | null) {
  const rows = [phaseRow(P1, '自查自纠阶段', 6, 4, 0), phaseRow(P2, '集中整治阶段', 4, 2, 1), phaseRow(null, '', 2, 0, 0)];
  const phases = campaignId ? rows.filter((r) => !phaseId || r.phase_id === phaseId) : null;
  return {
    total: 12, open: 6, closed: 6, cancelled: 0, overdue: 1, closure_rate: 0.5, on_time_rate: 0.5,
    on_time_rate_original: 0.5, satisfaction_rate: null, avg_working_days_to_close: 4, reopen_count: 0,
    escalations_by_level: {}, dissatisfied: 0, appeals: 0, province: null, phases, ...fresh,
  };
}

function backend() {
  setToken('tok');
  return mockFetch({
    'GET /api/v1/auth/me': () => json(leader),
    'GET /api/v1/units': () => json({ items: [{ id: 'A', name: '甲处' }] }),
    'GET /api/v1/campaigns': () => json({ items: [YS, ZF], next_cursor: null, total: 2 }),
    'GET /api/v1/campaigns/c9': () => json(ZF),
    'GET /api/v1/campaigns/c1': () => json(YS),
    'GET /api/v1/reports/summary': (call) =>
      json(summary(call.url.searchParams.get('campaign_id'), call.url.searchParams.get('phase_id'))),
    'GET /api/v1/reports/units': () => json({ items: [], red_list: [], black_list: [], ...fresh }),
    'GET /api/v1/reports/trend': () => json({ granularity: 'week', items: [], ...fresh }),
  });
}

const selected = (testId: string) => screen.getByTestId(testId).querySelector('.ant-select-selection-item');

describe('reports: the phase selector beside the campaign selector', () => {
  it('names the phase of a shared link, sends its phase_id to every report and shows that phase alone', async () => {
    const m = backend();
    renderAt(`/reports?campaign_id=c9&phase_id=${P2}`, <AppRoutes />);

    await waitFor(() => expect(selected('report-phase-filter')).toHaveTextContent('集中整治阶段'), { timeout: 20000 });
    expect(screen.queryByText(P2)).toBeNull();
    for (const path of ['/api/v1/reports/summary', '/api/v1/reports/units', '/api/v1/reports/trend']) {
      const params = m.find('GET', path)[0]?.url.searchParams;
      expect([params?.get('campaign_id'), params?.get('phase_id')]).toEqual(['c9', P2]);
    }
    const table = await screen.findByTestId('report-phase-progress');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['集中整治阶段', '2026-06-01 ~ 2026-12-31', '4', '2', '1', '50.0%'],
    ]);
  });

  it('offers the chosen campaign’s phases by name, and a new campaign drops the phase', async () => {
    const m = backend();
    const user = userEvent.setup();
    renderAt('/reports?campaign_id=c9', <AppRoutes />);

    const table = await screen.findByTestId('report-phase-progress', undefined, { timeout: 20000 });
    expect(within(table).getByText('自查自纠阶段')).toBeInTheDocument();
    expect(within(table).getByText('未分阶段')).toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: '所属阶段' }));
    await user.click(await screen.findByTitle('自查自纠阶段'));
    await waitFor(() => expect(m.find('GET', '/api/v1/reports/summary').at(-1)?.url.searchParams.get('phase_id')).toBe(P1));
    expect(screen.queryByTitle('整改阶段')).toBeNull(); // another campaign's phase is never offered

    await user.click(screen.getByRole('combobox', { name: '专项行动' }));
    await user.click(await screen.findByTitle('营商环境专项行动'));
    await waitFor(() => expect(m.find('GET', '/api/v1/reports/summary').at(-1)?.url.searchParams.get('campaign_id')).toBe('c1'));
    expect(m.find('GET', '/api/v1/reports/summary').at(-1)?.url.searchParams.has('phase_id')).toBe(false);
    expect(selected('report-phase-filter')).toBeNull();
  });

  it('names a phase a link gives without its campaign from every campaign’s phases', async () => {
    const m = backend();
    renderAt(`/reports?phase_id=${P1}`, <AppRoutes />);
    await waitFor(() => expect(selected('report-phase-filter')).toHaveTextContent('自查自纠阶段'), { timeout: 20000 });
    expect(m.find('GET', '/api/v1/reports/summary')[0]?.url.searchParams.get('phase_id')).toBe(P1);
  });

  it('shows no phase selector and no phase table before a campaign is chosen', async () => {
    const m = backend();
    renderAt('/reports', <AppRoutes />);
    await waitFor(() => expect(m.find('GET', '/api/v1/reports/summary')).not.toHaveLength(0), { timeout: 20000 });
    expect(screen.queryByRole('combobox', { name: '所属阶段' })).toBeNull();
    expect(screen.queryByTestId('report-phase-progress')).toBeNull();
  });
});
