/**
 * The current access token, held in memory only. Never persisted (no localStorage, no sessionStorage): a token that
 * page scripts can read back after a reload is a token an injected script can steal. The refresh token lives in an
 * httpOnly cookie the server sets, so after a reload the auth feature obtains a fresh access token from it and calls
 * `setAccessToken`.
 */
type Listener = (token: string | null) => void;

let accessToken: string | null = null;
const listeners = new Set<Listener>();

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  if (token === accessToken) {
    return;
  }
  accessToken = token;
  for (const listener of listeners) {
    listener(token);
  }
}

/** Returns the unsubscribe function, so it plugs straight into `useSyncExternalStore` or an effect cleanup. */
export function subscribeAccessToken(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
