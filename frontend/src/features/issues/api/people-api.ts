/**
 * 责任落实到人: each unit's responsible person on an item, its sub-tasks, and a unit's active staff to choose from
 * (docs/api.md). Keys live under ['issues'], so every workflow step and every change here refreshes them together.
 */
import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost, apiRequest } from '@/api/client';
import type {
  AssigneeOut,
  StaffOut,
  SubtaskCreate,
  SubtaskOut,
  SubtaskPatch,
  SubtaskProgressBody,
} from '@/api/generated/openapi';

const base = (id: string) => `/api/v1/issues/${encodeURIComponent(id)}`;

export const peopleQueries = {
  assignees: (issueId: string) =>
    queryOptions({
      queryKey: ['issues', 'assignees', issueId] as const,
      queryFn: ({ signal }) => apiGet<AssigneeOut[]>(`${base(issueId)}/assignees`, undefined, signal),
    }),
  subtasks: (issueId: string) =>
    queryOptions({
      queryKey: ['issues', 'subtasks', issueId] as const,
      queryFn: ({ signal }) => apiGet<SubtaskOut[]>(`${base(issueId)}/subtasks`, undefined, signal),
    }),
  /** A unit's active staff by name (never the account name): whom its items can be given to. */
  staff: (unitId: string) =>
    queryOptions({
      queryKey: ['units', 'staff', unitId] as const,
      queryFn: ({ signal }) => apiGet<StaffOut[]>(`/api/v1/units/${encodeURIComponent(unitId)}/staff`, undefined, signal),
      staleTime: 60_000,
    }),
};

export async function nameResponsible(issueId: string, unitId: string, userId: string | null): Promise<AssigneeOut[]> {
  const { data } = await apiRequest<AssigneeOut[]>(`${base(issueId)}/assignees/${encodeURIComponent(unitId)}`, {
    method: 'PUT',
    body: { user_id: userId },
  });
  return data;
}

export function addSubtask(issueId: string, body: SubtaskCreate): Promise<SubtaskOut> {
  return apiPost<SubtaskOut>(`${base(issueId)}/subtasks`, body);
}

export async function updateSubtask(issueId: string, subtaskId: string, body: SubtaskPatch): Promise<SubtaskOut> {
  const { data } = await apiRequest<SubtaskOut>(`${base(issueId)}/subtasks/${encodeURIComponent(subtaskId)}`, {
    method: 'PATCH',
    body,
  });
  return data;
}

export function reportSubtaskProgress(issueId: string, subtaskId: string, body: SubtaskProgressBody): Promise<SubtaskOut> {
  return apiPost<SubtaskOut>(`${base(issueId)}/subtasks/${encodeURIComponent(subtaskId)}/progress`, body);
}
