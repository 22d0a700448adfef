/**
 * The one API client of the SPA: a thin fetch wrapper for same-origin /api/v1 calls.
 * Bearer token from memory (api/token.ts), Accept-Language from the current i18n language,
 * every non-2xx answer turned into an ApiError by the one problem handler.
 * A 401 is retried once with a token refreshed from the session cookie; when that fails too, the token is
 * dropped and the user sent to the login page.
 */
import { ApiError, networkProblem, problemFromResponse } from './problem';
import { getToken, refreshToken, signalUnauthorized } from './token';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** JSON body (objects) or a ready body (FormData, URLSearchParams) */
  body?: unknown;
  headers?: Record<string, string>;
  ifMatch?: string | undefined;
  /** public endpoints: no bearer token and no redirect on 401 */
  anonymous?: boolean;
  signal?: AbortSignal | undefined;
}

export interface ApiResult<T> {
  data: T;
  etag: string | null;
}

let currentLanguage = 'zh-CN';

export function setApiLanguage(language: string): void {
  currentLanguage = language;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function encodeBody(body: unknown, headers: Headers): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (body instanceof FormData || body instanceof URLSearchParams || body instanceof Blob) {
    return body;
  }
  headers.set('Content-Type', 'application/json');
  return JSON.stringify(body);
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers = new Headers(options.headers);
  headers.set('Accept', headers.get('Accept') ?? 'application/json, application/problem+json');
  headers.set('Accept-Language', currentLanguage);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (options.ifMatch) headers.set('If-Match', options.ifMatch);
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  const body = encodeBody(options.body, headers);
  if (body !== undefined) init.body = body;
  if (options.signal) init.signal = options.signal;
  try {
    return await fetch(buildUrl(path, options.query), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkProblem(error);
  }
}

/** Send a request and return the raw Response if it succeeded; throw ApiError otherwise. */
export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  let response = await send(path, options, options.anonymous ? null : getToken());
  if (response.status === 401 && !options.anonymous) {
    // The access token expired (or a reload left none): the session cookie may buy a new one.
    const renewed = await refreshToken();
    if (renewed) response = await send(path, options, renewed);
  }
  if (response.ok) return response;
  const apiError = await problemFromResponse(response);
  if (response.status === 401 && !options.anonymous) signalUnauthorized();
  throw apiError;
}

/** JSON request with the ETag of the answer. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const response = await apiResponse(path, options);
  const etag = response.headers.get('ETag');
  if (response.status === 204) return { data: undefined as T, etag };
  const text = await response.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, etag };
}

export async function apiGet<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> {
  return (await apiRequest<T>(path, { query, signal })).data;
}

export async function apiPost<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  return (await apiRequest<T>(path, { ...options, method: 'POST', body: body ?? {} })).data;
}

/** Download a protected file (bearer token) and hand it to the browser. */
export async function apiDownload(path: string, fallbackName: string, query?: Record<string, QueryValue>): Promise<void> {
  const response = await apiResponse(path, { query, headers: { Accept: '*/*' } });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Lists may come as a bare array or as {items}: accept both. */
export function asItems<T>(value: T[] | { items?: T[] } | null | undefined): T[] {
  if (Array.isArray(value)) return value;
  return value?.items ?? [];
}

export { ApiError };
