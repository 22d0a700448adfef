/** The public API over fetch: JSON in and out, RFC 9457 problems as `ApiProblem`. No token, no cookies. */

export interface FieldError {
  field: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[],
    readonly code: string,
  ) {
    super(detail || title);
  }
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  const errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
  const text = (key: string) => {
    const value = body[key];
    return typeof value === 'string' ? value : '';
  };
  return new ApiProblem(response.status, text('title'), text('detail'), errors, text('code'));
}

export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'omit' };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

/** A fresh key per form fill: a double tap or a retry of the same fill creates one submission. */
export function idempotencyKey(): string {
  // getRandomValues works on plain http too, where crypto.randomUUID is missing
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const submissionsPath = '/api/v1/public/submissions';
