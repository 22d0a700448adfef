/**
 * The ledger's query: what the URL's filters, the page and the page size send to `GET /api/v1/issues`, to its
 * Excel export, and how a set of filters is kept as a saved view (常用筛选) and read back.
 */
import type { SavedViewCreate, SavedViewOut } from '@/api/generated/openapi';

/** The ledger's filters as the URL holds them (docs/architecture.md "The web app"). */
export interface IssueFilters {
  /** 专项行动 and its phase (所属阶段): the import page links a campaign's ledger by `campaign_id` */
  campaign_id?: string;
  phase_id?: string;
  status?: string;
  unit_id?: string;
  category_id?: string;
  source?: string;
  overdue?: boolean;
  q?: string;
  sort?: string;
  /** the workbenches' and the cockpit's shortcuts, passed to the API as they are ('true', YYYY-MM-DD) */
  open?: string;
  deadline_from?: string;
  deadline_to?: string;
  extension_pending?: string;
  rework?: string;
  to_accept?: string;
  /** 我负责的: the caller is a responsible person of the item or holds an open sub-task of it */
  mine?: string;
}

type QueryValue = string | number | boolean | undefined;

/** Open items by the deadline in force, the most overdue first: what an office must look at first. */
export const DEFAULT_SORT = 'urgency';
export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/** The filters as the API's query parameters (the default sort filled in). */
export function filterQuery(filters: IssueFilters): Record<string, QueryValue> {
  return {
    campaign_id: filters.campaign_id,
    phase_id: filters.phase_id,
    status: filters.status,
    unit_id: filters.unit_id,
    category_id: filters.category_id,
    source: filters.source,
    q: filters.q,
    overdue: filters.overdue ? true : undefined,
    open: filters.open,
    deadline_from: filters.deadline_from,
    deadline_to: filters.deadline_to,
    extension_pending: filters.extension_pending,
    rework: filters.rework,
    to_accept: filters.to_accept,
    mine: filters.mine,
    sort: filters.sort ?? DEFAULT_SORT,
  };
}

/** One page of the list: `offset` jumps straight to it (1-based `page`). */
export function pageQuery(filters: IssueFilters, page: number, size: number): Record<string, QueryValue> {
  const current = Number.isFinite(page) && page > 0 ? Math.floor(page) : 1;
  return { ...filterQuery(filters), limit: size, offset: (current - 1) * size };
}

/** A page size from the URL, one of PAGE_SIZES (else the default). */
export function pageSizeOf(raw: string | null | undefined): number {
  const n = Number(raw);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
}

/** A page number from the URL (1 when absent or not a positive whole number). */
export function pageOf(raw: string | null | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

type ViewFilters = SavedViewCreate['filters'];

const flag = (value: string | undefined): boolean | undefined =>
  value === 'true' ? true : value === 'false' ? false : undefined;

/** The filters as a saved view keeps them (the API's types: booleans, a status list). */
export function viewFiltersOf(filters: IssueFilters): ViewFilters {
  const out: ViewFilters = {};
  if (filters.campaign_id) out.campaign_id = filters.campaign_id;
  if (filters.phase_id) out.phase_id = filters.phase_id;
  if (filters.status) out.status = [filters.status as NonNullable<ViewFilters['status']>[number]];
  if (filters.unit_id) out.unit_id = filters.unit_id;
  if (filters.category_id) out.category_id = filters.category_id;
  if (filters.source) out.source = filters.source as ViewFilters['source'];
  if (filters.q) out.q = filters.q;
  if (filters.overdue) out.overdue = true;
  for (const key of ['open', 'extension_pending', 'rework', 'mine'] as const) {
    const value = flag(filters[key]);
    if (value !== undefined) out[key] = value;
  }
  if (filters.deadline_from) out.deadline_from = filters.deadline_from;
  if (filters.deadline_to) out.deadline_to = filters.deadline_to;
  if (filters.sort) out.sort = filters.sort as ViewFilters['sort'];
  return out;
}

/** A saved view's filters as the ledger's URL filters (a view may name several statuses: the first is shown). */
export function filtersOfView(view: Pick<SavedViewOut, 'filters'>): IssueFilters {
  const f = view.filters;
  const out: IssueFilters = {};
  if (f.campaign_id) out.campaign_id = f.campaign_id;
  if (f.phase_id) out.phase_id = f.phase_id;
  if (f.status?.[0]) out.status = f.status[0];
  if (f.unit_id) out.unit_id = f.unit_id;
  if (f.category_id) out.category_id = f.category_id;
  if (f.source) out.source = f.source;
  if (f.q) out.q = f.q;
  if (f.overdue) out.overdue = true;
  for (const key of ['open', 'extension_pending', 'rework', 'mine'] as const) {
    const value = f[key];
    if (typeof value === 'boolean') out[key] = String(value);
  }
  if (f.deadline_from) out.deadline_from = f.deadline_from;
  if (f.deadline_to) out.deadline_to = f.deadline_to;
  if (f.sort) out.sort = f.sort;
  return out;
}

/** Whether the ledger shows exactly a view's filters now (the select then names it). */
export function sameFilters(a: IssueFilters, b: IssueFilters): boolean {
  const norm = (f: IssueFilters) => JSON.stringify(Object.entries(viewFiltersOf(f)).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}
