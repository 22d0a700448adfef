import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { REPORT_FILTER_KEYS, type ReportFilters } from '../api/report-queries';

/** Report filters live in the URL, so a filtered view (and its ledger download) can be shared and reloaded. */
export function useReportFilters(): [ReportFilters, (next: ReportFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const out: ReportFilters = {};
    for (const key of REPORT_FILTER_KEYS) {
      const value = params.get(key);
      if (value) out[key] = value;
    }
    return out;
  }, [params]);
  const setFilters = useCallback(
    (next: ReportFilters) => {
      const out = new URLSearchParams(params);
      for (const key of REPORT_FILTER_KEYS) {
        const value = next[key];
        if (value) out.set(key, value);
        else out.delete(key);
      }
      setParams(out, { replace: true });
    },
    [params, setParams],
  );
  return [filters, setFilters];
}
