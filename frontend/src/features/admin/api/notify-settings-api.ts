import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiRequest } from '@/api/client';
import type { CalendarOut, CalendarUpdate, ChannelIn, ChannelOut, EscalationPolicy, PolicyOut } from '@/api/generated/openapi';
import { adminKeys } from './admin-keys';

const policyPath = (campaignId: string) => `/api/v1/escalation-policies/${encodeURIComponent(campaignId)}`;

export const notifySettingsQueries = {
  policy: (campaignId: string) =>
    queryOptions({
      queryKey: [...adminKeys.policies(), campaignId] as const,
      queryFn: ({ signal }) => apiGet<PolicyOut>(policyPath(campaignId), undefined, signal),
    }),
  calendar: (year: number) =>
    queryOptions({
      queryKey: [...adminKeys.calendar(), year] as const,
      queryFn: ({ signal }) => apiGet<CalendarOut>('/api/v1/calendar', { year }, signal),
    }),
  channels: () =>
    queryOptions({
      queryKey: adminKeys.channels(),
      queryFn: ({ signal }) => apiGet<ChannelOut[]>('/api/v1/channels', undefined, signal),
    }),
};

export async function putPolicy(campaignId: string, body: EscalationPolicy): Promise<PolicyOut> {
  return (await apiRequest<PolicyOut>(policyPath(campaignId), { method: 'PUT', body })).data;
}

export async function putCalendar(body: CalendarUpdate): Promise<CalendarOut> {
  return (await apiRequest<CalendarOut>('/api/v1/calendar', { method: 'PUT', body })).data;
}

export async function putChannel(body: ChannelIn): Promise<ChannelOut> {
  return (await apiRequest<ChannelOut>('/api/v1/channels', { method: 'PUT', body })).data;
}
