import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiRequest } from '@/api/client';
import type {
  CalendarUpdate,
  CalendarYear,
  ChannelSetting,
  ChannelUpdate,
  EscalationPolicy,
  EscalationPolicyOut,
} from '@/api/types';
import { adminKeys } from './admin-keys';

const policyPath = (campaignId: string) => `/api/v1/escalation-policies/${encodeURIComponent(campaignId)}`;

export const notifySettingsQueries = {
  policy: (campaignId: string) =>
    queryOptions({
      queryKey: [...adminKeys.policies(), campaignId] as const,
      queryFn: ({ signal }) => apiGet<EscalationPolicyOut>(policyPath(campaignId), undefined, signal),
    }),
  calendar: (year: number) =>
    queryOptions({
      queryKey: [...adminKeys.calendar(), year] as const,
      queryFn: ({ signal }) => apiGet<CalendarYear>('/api/v1/calendar', { year }, signal),
    }),
  channels: () =>
    queryOptions({
      queryKey: adminKeys.channels(),
      queryFn: ({ signal }) => apiGet<ChannelSetting[]>('/api/v1/channels', undefined, signal),
    }),
};

export async function putPolicy(campaignId: string, body: EscalationPolicy): Promise<EscalationPolicyOut> {
  return (await apiRequest<EscalationPolicyOut>(policyPath(campaignId), { method: 'PUT', body })).data;
}

export async function putCalendar(body: CalendarUpdate): Promise<CalendarYear> {
  return (await apiRequest<CalendarYear>('/api/v1/calendar', { method: 'PUT', body })).data;
}

export async function putChannel(body: ChannelUpdate): Promise<ChannelSetting> {
  return (await apiRequest<ChannelSetting>('/api/v1/channels', { method: 'PUT', body })).data;
}
