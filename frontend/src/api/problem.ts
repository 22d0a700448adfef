/**
 * The one RFC 9457 problem+json handler of the SPA.
 *
 * Every failed API call becomes an {@link ApiError} carrying a normalised {@link Problem}.
 * Field errors are read from the common shapes: `errors: [{loc|field|pointer|name, msg|message|detail|reason}]`,
 * `invalid_params`, and FastAPI's default `detail: [{loc, msg}]`.
 */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** field name -> messages */
  fieldErrors: Record<string, string[]>;
  /** the raw body, for extension members (e.g. current status, allowed steps on 409) */
  raw: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fieldName(entry: Record<string, unknown>): string {
  const loc = entry.loc;
  if (Array.isArray(loc)) {
    const parts = loc.filter((p) => p !== 'body' && p !== 'query' && p !== 'path').map(String);
    if (parts.length > 0) return parts.join('.');
  }
  const pointer = asString(entry.pointer);
  if (pointer) return pointer.replace(/^#?\//, '').replace(/\//g, '.');
  return asString(entry.field) ?? asString(entry.name) ?? '';
}

function fieldMessage(entry: Record<string, unknown>): string {
  return (
    asString(entry.msg) ??
    asString(entry.message) ??
    asString(entry.detail) ??
    asString(entry.reason) ??
    'invalid'
  );
}

function collectFieldErrors(body: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const lists = [body.errors, body.invalid_params, body['invalid-params'], body.detail];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isRecord(entry)) continue;
      const name = fieldName(entry);
      (out[name] ??= []).push(fieldMessage(entry));
    }
  }
  return out;
}

/** Build a Problem from an HTTP status and whatever body came back (may be empty or not JSON). */
export function toProblem(status: number, body: unknown, statusText = ''): Problem {
  const record = isRecord(body) ? body : {};
  const title = asString(record.title) ?? (statusText || `HTTP ${status}`);
  const detail = asString(record.detail);
  return {
    type: asString(record.type) ?? 'about:blank',
    title,
    status: typeof record.status === 'number' ? record.status : status,
    ...(detail !== undefined ? { detail } : {}),
    ...(asString(record.instance) ? { instance: asString(record.instance) } : {}),
    fieldErrors: collectFieldErrors(record),
    raw: record,
  };
}

/** Read a failed Response into an ApiError. */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = undefined;
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = { detail: text.slice(0, 300) };
    }
  }
  return new ApiError(toProblem(response.status, body, response.statusText));
}

/** A network failure (server unreachable) as a problem with status 0. */
export function networkProblem(error: unknown): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError({
    type: 'about:blank',
    title: 'Network error',
    status: 0,
    detail,
    fieldErrors: {},
    raw: {},
  });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Form-friendly field errors: [{name, errors}] as antd's form.setFields expects. */
export function fieldErrorList(error: unknown): { name: string[]; errors: string[] }[] {
  if (!isApiError(error)) return [];
  return Object.entries(error.problem.fieldErrors)
    .filter(([name]) => name !== '')
    .map(([name, errors]) => ({ name: name.split('.'), errors }));
}
