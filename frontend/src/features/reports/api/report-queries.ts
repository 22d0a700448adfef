import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiPost } from '@/api/client';
import type {
  Accountability,
  Categories,
  Lights,
  MeetingCreate,
  MeetingOut,
  OverduePage,
  Statuses,
  Summary,
  Trend,
  UnitRanking,
} from '@/api/generated/openapi';

/** The filters every report endpoint accepts (report_api/figures/filters.py); `from`/`to` bound the creation date. */
export interface ReportFilters {
  campaign_id?: string | undefined;
  /** 所属阶段: a phase of the campaign, by id (the filter bar shows its name) */
  phase_id?: string | undefined;
  unit_id?: string | undefined;
  category_id?: string | undefined;
  source?: string | undefined;
  city?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const REPORT_FILTER_KEYS = ['campaign_id', 'phase_id', 'unit_id', 'category_id', 'source', 'city', 'from', 'to'] as const;

export const OVERDUE_PAGE_SIZE = 20;
const base = '/api/v1/reports';
const meetingsBase = `${base}/meetings`;

/** Query-option factories: the one source of the reports feature's query keys. */
export const reportQueries = {
  all: () => ['reports'] as const,
  summary: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'summary', f] as const,
      queryFn: ({ signal }) => apiGet<Summary>(`${base}/summary`, { ...f }, signal),
    }),
  statuses: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'statuses', f] as const,
      queryFn: ({ signal }) => apiGet<Statuses>(`${base}/statuses`, { ...f }, signal),
    }),
  lights: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'lights', f] as const,
      queryFn: ({ signal }) => apiGet<Lights>(`${base}/lights`, { ...f }, signal),
    }),
  units: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'units', f] as const,
      queryFn: ({ signal }) => apiGet<UnitRanking>(`${base}/units`, { ...f }, signal),
    }),
  trend: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'trend', f] as const,
      queryFn: ({ signal }) => apiGet<Trend>(`${base}/trend`, { ...f }, signal),
    }),
  categories: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'categories', f] as const,
      queryFn: ({ signal }) => apiGet<Categories>(`${base}/categories`, { ...f }, signal),
    }),
  overdue: (f: ReportFilters) =>
    infiniteQueryOptions({
      queryKey: [...reportQueries.all(), 'overdue', f] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet<OverduePage>(`${base}/overdue`, { ...f, cursor: pageParam, limit: OVERDUE_PAGE_SIZE }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
    }),
  accountability: (f: ReportFilters) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'accountability', f] as const,
      queryFn: ({ signal }) => apiGet<Accountability>(`${base}/accountability`, { ...f }, signal),
    }),
  meetings: (campaignId?: string) =>
    queryOptions({
      queryKey: [...reportQueries.all(), 'meetings', campaignId ?? null] as const,
      queryFn: async ({ signal }) =>
        (await apiGet<{ items: MeetingOut[] }>(meetingsBase, { campaign_id: campaignId }, signal)).items,
    }),
};

export function downloadLedger(f: ReportFilters, lang: MeetingLang): Promise<void> {
  return apiDownload(`${base}/ledger.xlsx`, 'ledger.xlsx', { ...f, lang });
}

/** office and admin only; leaders read the snapshots. */
export function createMeeting(body: MeetingCreate): Promise<MeetingOut> {
  return apiPost<MeetingOut>(meetingsBase, body);
}

export type MeetingLang = 'zh' | 'en';
export type MeetingFormat = 'docx' | 'xlsx';

/** The report-api's `?lang=` takes zh | en; the UI speaks zh-CN | en. */
export function reportLang(uiLanguage: string): MeetingLang {
  return uiLanguage.startsWith('en') ? 'en' : 'zh';
}

export function downloadMeeting(meeting: MeetingOut, format: MeetingFormat, lang: MeetingLang): Promise<void> {
  const path = `${meetingsBase}/${encodeURIComponent(meeting.id)}.${format}`;
  return apiDownload(path, `meeting-${meeting.period}.${format}`, { lang });
}
