import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { IssueFilters } from '../api/issue-queries';

const KEYS = ['status', 'unit_id', 'category_id', 'source', 'q', 'sort'] as const;

/** Ledger filters live in the URL so a filtered view can be shared and reloaded. */
export function useIssueFilters(): [IssueFilters, (next: IssueFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const out: IssueFilters = {};
    for (const key of KEYS) {
      const value = params.get(key);
      if (value) out[key] = value;
    }
    if (params.get('overdue') === 'true') out.overdue = true;
    return out;
  }, [params]);
  const setFilters = useCallback(
    (next: IssueFilters) => {
      const out = new URLSearchParams();
      for (const key of KEYS) {
        const value = next[key];
        if (value) out.set(key, value);
      }
      if (next.overdue) out.set('overdue', 'true');
      setParams(out, { replace: true });
    },
    [setParams],
  );
  return [filters, setFilters];
}
