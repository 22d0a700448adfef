/**
 * Where each figure of the cockpit and the board leads: the ledger filtered to exactly what it counts
 * (the URL filters of docs/architecture.md "The web app", passed to `GET /api/v1/issues` as they are).
 */
import { addDays } from '@/shared/lib/deadline-light';

export type Kpi = 'total' | 'open' | 'closed' | 'overdue' | 'closureRate' | 'onTimeRate';
export type LightName = 'red' | 'yellow' | 'green';

/** `today` and the last deadline still yellow, as `/reports/lights` answers them. */
export interface LightWindow {
  today: string;
  due_soon_until: string;
}

export function ledgerHref(filter: Record<string, string> = {}): string {
  const query = new URLSearchParams(filter).toString();
  return query ? `/issues?${query}` : '/issues';
}

const KPI_FILTERS: Record<Kpi, Record<string, string>> = {
  total: {},
  open: { open: 'true', sort: 'urgency' },
  closed: { status: 'closed' },
  overdue: { overdue: 'true', sort: 'urgency' },
  // the rates are shares of the closed issues: the ledger lists those
  closureRate: { status: 'closed' },
  onTimeRate: { status: 'closed' },
};

export function kpiHref(kpi: Kpi): string {
  return ledgerHref(KPI_FILTERS[kpi]);
}

/** red: open past the deadline; yellow: open, due from today to `due_soon_until`; green: open, due later. */
export function lightHref(light: LightName, window: LightWindow): string {
  switch (light) {
    case 'red':
      return ledgerHref({ overdue: 'true', sort: 'urgency' });
    case 'yellow':
      return ledgerHref({ open: 'true', deadline_from: window.today, deadline_to: window.due_soon_until, sort: 'urgency' });
    case 'green':
      return ledgerHref({ open: 'true', deadline_from: addDays(window.due_soon_until, 1), sort: 'urgency' });
  }
}

export function statusHref(status: string): string {
  return ledgerHref({ status });
}

/** A unit's issues (the ledger's unit filter takes lead and co-units). */
export function unitHref(unitId: string): string {
  return ledgerHref({ unit_id: unitId, sort: 'urgency' });
}
