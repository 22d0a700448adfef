import { describe, expect, it, vi } from 'vitest';
import { apiRequest } from '@/api/client';
import { ApiError, fieldErrorList, toProblem } from '@/api/problem';
import { getToken, setToken, UNAUTHORIZED_EVENT } from '@/api/token';
import { mockFetch, problem } from './fetch-mock';

describe('toProblem', () => {
  it('keeps title, detail, type and extension members of an RFC 9457 body', () => {
    const p = toProblem(409, {
      type: 'https://rectify/problems/illegal-transition',
      title: '状态不允许此操作',
      detail: 'issue is closed',
      status: 409,
      current_status: 'closed',
      allowed_steps: ['reopen'],
    });
    expect(p.title).toBe('状态不允许此操作');
    expect(p.detail).toBe('issue is closed');
    expect(p.type).toBe('https://rectify/problems/illegal-transition');
    expect(p.raw.allowed_steps).toEqual(['reopen']);
  });

  it('reads field errors from an errors list with loc paths', () => {
    const p = toProblem(422, {
      title: 'Validation failed',
      errors: [
        { loc: ['body', 'title'], msg: 'field required' },
        { loc: ['body', 'title'], msg: 'too short' },
        { pointer: '/deadline', detail: 'must be a date' },
      ],
    });
    expect(p.fieldErrors).toEqual({ title: ['field required', 'too short'], deadline: ['must be a date'] });
    expect(fieldErrorList(new ApiError(p))).toEqual([
      { name: ['title'], errors: ['field required', 'too short'] },
      { name: ['deadline'], errors: ['must be a date'] },
    ]);
  });

  it("reads the kit's validation shape errors: [{field, message}]", () => {
    const p = toProblem(422, {
      type: 'https://rectify.example/problems/validation-error',
      title: '请求参数无效',
      status: 422,
      detail: 'deadline: invalid date',
      errors: [{ field: 'deadline', message: 'invalid date' }],
    });
    expect(p.fieldErrors).toEqual({ deadline: ['invalid date'] });
    expect(p.detail).toBe('deadline: invalid date');
  });

  it("reads FastAPI's default detail list as field errors", () => {
    const p = toProblem(422, { detail: [{ loc: ['body', 'percent'], msg: 'less than 100' }] });
    expect(p.fieldErrors).toEqual({ percent: ['less than 100'] });
    expect(p.detail).toBeUndefined();
    expect(p.title).toBe('HTTP 422');
  });

  it('falls back to the status text when the body is not a problem', () => {
    const p = toProblem(503, undefined, 'Service Unavailable');
    expect(p.title).toBe('Service Unavailable');
    expect(p.status).toBe(503);
  });
});

describe('apiRequest', () => {
  it('throws ApiError carrying the problem of a failed call', async () => {
    mockFetch({ 'GET /api/v1/issues/x': () => problem(404, { title: '未找到', detail: '问题不存在' }) });
    const error = await apiRequest('/api/v1/issues/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).problem.detail).toBe('问题不存在');
  });

  it('on 401 clears the token and signals the app to go to login', async () => {
    setToken('old-token');
    const listener = vi.fn();
    window.addEventListener(UNAUTHORIZED_EVENT, listener);
    const m = mockFetch({ 'GET /api/v1/auth/me': () => problem(401, { title: 'Unauthorized' }) });
    await expect(apiRequest('/api/v1/auth/me')).rejects.toBeInstanceOf(ApiError);
    expect(m.calls[0]?.headers.get('Authorization')).toBe('Bearer old-token');
    expect(getToken()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(1);
    window.removeEventListener(UNAUTHORIZED_EVENT, listener);
  });

  it('does not drop the token on 401 of an anonymous call', async () => {
    setToken('keep-me');
    mockFetch({ 'POST /api/v1/auth/token': () => problem(401, { title: 'bad credentials' }) });
    await expect(apiRequest('/api/v1/auth/token', { method: 'POST', anonymous: true, body: {} })).rejects.toThrow('bad credentials');
    expect(getToken()).toBe('keep-me');
  });

  it('turns a network failure into a status-0 problem', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    const error = (await apiRequest('/api/v1/units').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.problem.detail).toBe('Failed to fetch');
  });

  it('sends If-Match and returns the ETag', async () => {
    const m = mockFetch({
      'PATCH /api/v1/issues/1': () => new Response('{"id":"1"}', { status: 200, headers: { ETag: '"v2"', 'Content-Type': 'application/json' } }),
    });
    const result = await apiRequest('/api/v1/issues/1', { method: 'PATCH', body: { title: 'x' }, ifMatch: '"v1"' });
    expect(m.calls[0]?.headers.get('If-Match')).toBe('"v1"');
    expect(result.etag).toBe('"v2"');
  });
});
