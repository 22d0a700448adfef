import { useQuery } from '@tanstack/react-query';
import { reportQueries, type ReportFilters } from '../api/report-queries';

const ALL: ReportFilters = {};

/** The figures of the cockpit and the board, every campaign and unit the reader may see, renewed every `everyMs`. */
export function useCockpitData(everyMs: number) {
  const live = { refetchInterval: everyMs, refetchIntervalInBackground: true, staleTime: 0 };
  return {
    summary: useQuery({ ...reportQueries.summary(ALL), ...live }),
    statuses: useQuery({ ...reportQueries.statuses(ALL), ...live }),
    lights: useQuery({ ...reportQueries.lights(ALL), ...live }),
    units: useQuery({ ...reportQueries.units(ALL), ...live }),
    trend: useQuery({ ...reportQueries.trend(ALL), ...live }),
  };
}
