import { queryOptions } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import type { CalendarOut } from '@/api/generated/openapi';

/** Query-option factories of the working-day calendar (notify-api `GET /api/v1/calendar?year=`). */
export const calendarQueries = {
  all: () => ['calendar'] as const,
  year: (year: number) =>
    queryOptions({
      queryKey: [...calendarQueries.all(), year] as const,
      queryFn: ({ signal }) => apiGet<CalendarOut>('/api/v1/calendar', { year }, signal),
      // a year's schedule changes only when an administrator edits it (that page invalidates ['calendar'])
      staleTime: 30 * 60_000,
    }),
};
