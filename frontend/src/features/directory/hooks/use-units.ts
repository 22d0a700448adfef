import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { directoryQueries } from '../api/directory-api';

/**
 * Units as select options and a name lookup (falls back to the id when /units is not there), and the cities:
 * an issue's `city` is the code of a unit of kind `city` (TS → 唐山市).
 */
export function useUnits() {
  const query = useQuery(directoryQueries.units());
  const units = useMemo(() => query.data ?? [], [query.data]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const unitName = useCallback((id: string | null | undefined) => (id ? (byId.get(id) ?? id) : '—'), [byId]);
  const options = useMemo(() => units.map((u) => ({ value: u.id, label: u.name })), [units]);
  const cities = useMemo(() => units.filter((u) => u.kind === 'city'), [units]);
  const cityByCode = useMemo(() => new Map(cities.map((u) => [u.code, u.name])), [cities]);
  const cityName = useCallback((code: string | null | undefined) => (code ? (cityByCode.get(code) ?? code) : '—'), [cityByCode]);
  const cityOptions = useMemo(() => cities.map((u) => ({ value: u.code, label: u.name })), [cities]);
  return { units, options, unitName, cityName, cityOptions, isLoading: query.isPending, error: query.error };
}
