import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { directoryQueries } from '../api/directory-api';

/** Units as select options and a name lookup (falls back to the id when /units is not there). */
export function useUnits() {
  const query = useQuery(directoryQueries.units());
  const units = useMemo(() => query.data ?? [], [query.data]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const unitName = useCallback((id: string | null | undefined) => (id ? (byId.get(id) ?? id) : '—'), [byId]);
  const options = useMemo(() => units.map((u) => ({ value: u.id, label: u.name })), [units]);
  return { units, options, unitName, isLoading: query.isPending, error: query.error };
}
