import { useSearchParams } from 'react-router-dom';
import type { EscalationFilters } from '../api/escalation-queries';
import { ESCALATION_LEVELS } from '@/shared/lib/escalation-levels';

function parseLevel(value: string | null): number | undefined {
  const level = Number(value);
  return value !== null && value !== '' && (ESCALATION_LEVELS as readonly number[]).includes(level) ? level : undefined;
}

/** The page's filters live in the URL (a link can open the list already filtered). */
export function useEscalationFilters() {
  const [params, setParams] = useSearchParams();
  const unacknowledgedOnly = params.get('unacknowledged') === '1';
  const filters: EscalationFilters = {
    unit_id: params.get('unit_id') ?? undefined,
    level: parseLevel(params.get('level')),
    awaiting_acknowledgement: unacknowledgedOnly || undefined,
  };
  const set = (name: 'unit_id' | 'level' | 'unacknowledged', value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return { filters, unacknowledgedOnly, set };
}
