/** Where the bearer token lives (localStorage), and who is told when it is dropped. */

const KEY = 'rectify.token';
export const UNAUTHORIZED_EVENT = 'rectify:unauthorized';

export function getToken(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  window.localStorage.setItem(KEY, token);
}

export function clearToken(): void {
  window.localStorage.removeItem(KEY);
}

/** Drop the token and tell the app to go to the login page. */
export function signalUnauthorized(): void {
  clearToken();
  window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
}
