import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { IssueFilters } from '../lib/ledger-query';
import { DEFAULT_PAGE_SIZE, pageOf, pageSizeOf } from '../lib/ledger-query';

const KEYS = [
  'campaign_id',
  'phase_id',
  'status',
  'unit_id',
  'category_id',
  'source',
  'q',
  'sort',
  // the shortcuts the workbenches and the cockpit link with (docs/architecture.md "The web app")
  'open',
  'deadline_from',
  'deadline_to',
  'extension_pending',
  'rework',
  'to_accept',
  'mine',
] as const;

/** The shortcut filters the filter bar has no control for: shown as tags above the list. */
export const SHORTCUT_KEYS = ['open', 'deadline_from', 'deadline_to', 'extension_pending', 'rework', 'to_accept', 'mine'] as const;

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
      // new filters start at page 1; the page size chosen stays
      setParams(
        (current) => {
          const size = current.get('size');
          if (size) out.set('size', size);
          return out;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [filters, setFilters];
}

/** The ledger's page and page size, in the URL beside the filters (a reload or a shared link keeps them). */
export function useLedgerPage(): { page: number; size: number; setPage: (page: number, size: number) => void } {
  const [params, setParams] = useSearchParams();
  const page = pageOf(params.get('page'));
  const size = pageSizeOf(params.get('size'));
  const setPage = useCallback(
    (nextPage: number, nextSize: number) => {
      setParams(
        (current) => {
          const out = new URLSearchParams(current);
          // a new page size starts at the first page
          const first = nextSize !== pageSizeOf(current.get('size'));
          if (first || nextPage <= 1) out.delete('page');
          else out.set('page', String(nextPage));
          if (nextSize === DEFAULT_PAGE_SIZE) out.delete('size');
          else out.set('size', String(nextSize));
          return out;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { page, size, setPage };
}
