import type { TFunction } from 'i18next';
import { isApiError } from '@/api/problem';

export interface ErrorDescription {
  status: number;
  /** localized one-line summary chosen by status */
  summary: string;
  /** server title and detail (problem+json), when they add something */
  detail?: string;
  /** field errors as lines "field: message" */
  fields: string[];
  /** for 409: the status and allowed steps named by the problem */
  hints: string[];
}

function summaryFor(status: number, t: TFunction): string {
  switch (status) {
    case 0:
      return t('errors.network');
    case 401:
      return t('errors.unauthorized');
    case 403:
      return t('errors.forbidden');
    case 404:
      return t('errors.notFound');
    case 409:
      return t('errors.conflict');
    case 412:
      return t('errors.stale');
    case 422:
      return t('errors.validation');
    case 502:
    case 503:
    case 504:
      return t('errors.unavailable');
    default:
      return t('errors.generic');
  }
}

function conflictHints(raw: Record<string, unknown>, t: TFunction): string[] {
  const hints: string[] = [];
  const current = raw.current_status ?? raw.status_name;
  if (typeof current === 'string') {
    hints.push(t('errors.currentStatus', { status: t(`status.${current}`, { defaultValue: current }) }));
  }
  const allowed = raw.allowed_steps ?? raw.allowed_actions ?? raw.allowed;
  if (Array.isArray(allowed) && allowed.length > 0) {
    const steps = allowed.map((s) => t(`actions.${String(s)}`, { defaultValue: String(s) })).join('、');
    hints.push(t('errors.allowedSteps', { steps }));
  }
  return hints;
}

/** Turn any error (ApiError from the one problem handler, or anything else) into display text. */
export function describeError(error: unknown, t: TFunction): ErrorDescription {
  if (!isApiError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return { status: -1, summary: t('errors.generic'), detail: text, fields: [], hints: [] };
  }
  const { problem } = error;
  const parts = [problem.title, problem.detail].filter((p): p is string => Boolean(p));
  const fields = Object.entries(problem.fieldErrors).map(([name, messages]) => {
    const label = name ? t(`fields.${name}`, { defaultValue: name }) : '';
    return label ? `${label}: ${messages.join('; ')}` : messages.join('; ');
  });
  const description: ErrorDescription = {
    status: problem.status,
    summary: summaryFor(problem.status, t),
    fields,
    hints: problem.status === 409 ? conflictHints(problem.raw, t) : [],
  };
  if (parts.length > 0) description.detail = parts.join(' — ');
  return description;
}
