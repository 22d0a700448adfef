/**
 * The access token lives in this module's memory only — never in localStorage or any other storage a
 * script could read — so an injected script finds no token to steal. A reload starts without one: the
 * session's HttpOnly cookie (set by the server at sign-in, scoped to /api/v1/auth) buys a new one from
 * `POST /api/v1/auth/refresh`, which also replaces the cookie. Whoever needs to know that the session
 * ended listens for UNAUTHORIZED_EVENT.
 */

export const UNAUTHORIZED_EVENT = 'rectify:unauthorized';
const REFRESH_PATH = '/api/v1/auth/refresh';

let accessToken: string | null = null;
let refreshing: Promise<string | null> | null = null;

export function getToken(): string | null {
  return accessToken;
}

export function setToken(token: string): void {
  accessToken = token;
}

export function clearToken(): void {
  accessToken = null;
}

/**
 * A new access token for the session cookie, or null when there is no session (any more). Calls made at the
 * same time share one request: the server spends the cookie's token on each refresh.
 */
export function refreshToken(): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch(REFRESH_PATH, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json, application/problem+json' },
      });
      if (!response.ok) {
        clearToken();
        return null;
      }
      const body = (await response.json()) as { access_token?: string };
      accessToken = body.access_token ?? null;
      return accessToken;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Drop the token and tell the app to go to the login page. */
export function signalUnauthorized(): void {
  clearToken();
  window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
}
