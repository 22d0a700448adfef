import { vi } from 'vitest';

export interface RecordedCall {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

type Handler = (call: RecordedCall) => Response | Promise<Response>;

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
  });
}

export function problem(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ status, ...body }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/**
 * Replace global fetch with a table of "METHOD /path" handlers (query string ignored for matching).
 * Unknown routes answer 404 problem+json, like a backend route that does not exist yet.
 */
export function mockFetch(routes: Record<string, Handler>) {
  const calls: RecordedCall[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    let body: unknown = init?.body;
    if (typeof body === 'string' && headers.get('Content-Type') === 'application/json') body = JSON.parse(body);
    const call: RecordedCall = { method, url, headers, body };
    calls.push(call);
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return problem(404, { title: 'Not Found', type: 'about:blank' });
    return handler(call);
  });
  vi.stubGlobal('fetch', fn);
  return { calls, fn, find: (method: string, path: string) => calls.filter((c) => c.method === method && c.url.pathname === path) };
}
