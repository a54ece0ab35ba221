import type { RouterInputs, RouterOutputs } from '@tradepool/api';
import { getAccessToken, setAccessToken } from '../lib/auth-token';
import { appCode } from '../lib/errors';
import { createSessionClient, type SessionClient } from '../lib/trpc';

export type SessionUser = RouterOutputs['auth']['me']['user'];
export type Role = SessionUser['role'];
/** What sign-in, sign-up, refresh and password change answer: the refresh token itself stays in an httpOnly cookie. */
export type BrowserSession = RouterOutputs['session']['signIn'];

/** Why a session ended, which decides what the person is told. */
export type EndReason =
  /** They chose "Sign out" here. */
  | 'signed-out'
  /** They signed out in another tab of this browser. */
  | 'signed-out-elsewhere'
  /** It could not be renewed: the refresh token expired or is gone. */
  | 'expired'
  /** The server ended it: revoked from another device, password or role changed, account disabled. */
  | 'revoked';

export type SessionState =
  /** On load, while the refresh cookie is exchanged for an access token: nobody knows yet who this is. */
  | { status: 'restoring' }
  /** The server could not be reached while restoring: neither signed in nor out. */
  | { status: 'unreachable'; error: unknown }
  /** `reason` is null when there simply was no session (first visit, cookie expired while away). */
  | { status: 'signed-out'; reason: EndReason | null }
  | {
      status: 'signed-in';
      user: SessionUser;
      /** An ADMIN or MANAGER who must enrol in 2FA first: the token only opens the enrolment procedures. */
      totpEnrollmentRequired: boolean;
      accessTokenExpiresAt: string;
    };

type ChangePasswordInput = RouterInputs['account']['changePassword'];

/** Renew this long before the access token expires, so requests never carry an expired one. */
const REFRESH_LEAD_MS = 60_000;
/** Never renew more often than this, even when the clock disagrees with the server's. */
const MIN_REFRESH_DELAY_MS = 15_000;
/** One name for the Web Lock and the BroadcastChannel every tab of this origin shares. */
const CHANNEL = 'tradepool-session';

type TabMessage = { type: 'signed-in' } | { type: 'signed-out' };

/**
 * Refresh tokens rotate and a spent one revokes the whole session, so two tabs must never spend the same cookie.
 * A Web Lock makes refreshes (and password changes, which replace the cookie) take turns across tabs: the one that
 * waits sends the cookie its predecessor just received.
 */
function acrossTabs<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    // The lock resolves with what the task's promise resolves to; TypeScript's typing keeps the promise nested.
    return navigator.locks.request(CHANNEL, task).then((result) => result);
  }
  return task();
}

function refreshDelay(accessTokenExpiresAt: string): number {
  const remaining = Date.parse(accessTokenExpiresAt) - Date.now();
  if (Number.isNaN(remaining)) {
    return MIN_REFRESH_DELAY_MS;
  }
  return remaining > 2 * REFRESH_LEAD_MS
    ? remaining - REFRESH_LEAD_MS
    : Math.max(remaining / 2, MIN_REFRESH_DELAY_MS);
}

/**
 * The browser's session, outside React: who is signed in, the access token (in memory, via auth-token.ts), its
 * silent renewal, and the way it ends. React reads it through AuthProvider; the tRPC link and the socket call
 * `recover` when the server refuses the token.
 */
export class SessionStore {
  private state: SessionState = { status: 'restoring' };
  private readonly listeners = new Set<() => void>();
  private readonly endListeners = new Set<(reason: EndReason) => void>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  /** Refreshes and password changes of this tab, one after the other (the Web Lock does the same across tabs). */
  private queue: Promise<unknown> = Promise.resolve();
  private signingOut = false;
  /** What a failed renewal is reported as; `recover` says why it was renewing. */
  private failureReason: EndReason = 'expired';
  private started = false;
  private channel: BroadcastChannel | null = null;

  constructor(private readonly client: SessionClient) {}

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Told when a session ends, with why: the provider turns it into a notification. */
  onEnd(listener: (reason: EndReason) => void): () => void {
    this.endListeners.add(listener);
    return () => {
      this.endListeners.delete(listener);
    };
  }

  /** Restores the session from the refresh cookie, once per page load (StrictMode and HMR call it again). */
  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = (event: MessageEvent<TabMessage>) => this.onTabMessage(event.data);
    }
    document.addEventListener('visibilitychange', this.onVisible);
    void this.refresh();
  }

  /** After "server unreachable" on load: try again. */
  retryRestore(): void {
    if (this.state.status === 'unreachable') {
      this.set({ status: 'restoring' });
      void this.refresh();
    }
  }

  /** A session the person just opened (sign-in, sign-up): other tabs pick it up too. */
  signedIn(session: BrowserSession): void {
    this.apply(session);
    this.post({ type: 'signed-in' });
  }

  /** Profile changes answered with the new user. */
  updateUser(user: SessionUser): void {
    if (this.state.status === 'signed-in') {
      this.set({ ...this.state, user });
    }
  }

  /**
   * A new access token from the refresh cookie. Resolves true when one is in place; false when the server said the
   * session is over (the state is then signed-out) or could not be reached (the state is left alone).
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.serialized(() => this.exchangeCookie()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * The server refused the access token (expired or revoked): renew it if the session is still alive, and sign out
   * locally, for `reason`, if it is not. Resolves true when requests may be retried with a new token.
   */
  async recover(reason: EndReason): Promise<boolean> {
    if (this.state.status !== 'signed-in' || this.signingOut) {
      return false;
    }
    this.failureReason = reason;
    return this.refresh();
  }

  /**
   * Changes the password: the server ends every session, this one included, and answers with a new one for this
   * device. Taking turns with refreshes means this tab's socket (told "revoked") and other tabs renew with the new
   * cookie rather than the revoked one.
   */
  async changePassword(input: ChangePasswordInput): Promise<BrowserSession> {
    await this.ensureFreshToken();
    const session = await this.serialized(() => this.client.account.changePassword.mutate(input));
    this.apply(session);
    return session;
  }

  /** Ends the session on the server (best effort: leaving must work offline too), then here and in other tabs. */
  async signOut(): Promise<void> {
    if (this.signingOut) {
      return;
    }
    this.signingOut = true;
    try {
      await this.serialized(() => this.client.session.signOut.mutate()).catch(() => undefined);
      this.post({ type: 'signed-out' });
      this.end('signed-out');
    } finally {
      this.signingOut = false;
    }
  }

  private async exchangeCookie(): Promise<boolean> {
    try {
      const session = await this.client.session.refresh.mutate();
      if (!session) {
        // No refresh cookie: a visitor, or a session that ended elsewhere.
        this.end(this.state.status === 'signed-in' ? this.failureReason : null);
        return false;
      }
      this.apply(session);
      return true;
    } catch (error) {
      const code = appCode(error);
      if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
        this.end(this.state.status === 'signed-in' ? this.failureReason : null);
        return false;
      }
      if (this.state.status === 'restoring') {
        this.set({ status: 'unreachable', error });
      }
      return false;
    }
  }

  private apply(session: BrowserSession): void {
    this.failureReason = 'expired';
    setAccessToken(session.accessToken);
    this.set({
      status: 'signed-in',
      user: session.user,
      totpEnrollmentRequired: session.totpEnrollmentRequired,
      accessTokenExpiresAt: session.accessTokenExpiresAt,
    });
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      void this.recover('expired');
    }, refreshDelay(session.accessTokenExpiresAt));
  }

  /** `reason` null: there was no session to end (restoring found none), so nobody is told anything. */
  private end(reason: EndReason | null): void {
    clearTimeout(this.refreshTimer);
    setAccessToken(null);
    const wasSignedIn = this.state.status === 'signed-in';
    this.set({ status: 'signed-out', reason });
    if (wasSignedIn && reason !== null) {
      for (const listener of this.endListeners) {
        listener(reason);
      }
    }
  }

  private async ensureFreshToken(): Promise<void> {
    if (
      this.state.status === 'signed-in' &&
      Date.parse(this.state.accessTokenExpiresAt) - Date.now() < REFRESH_LEAD_MS
    ) {
      await this.refresh();
    }
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => acrossTabs(task));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Timers do not run in a sleeping laptop: on wake, renew at once if the token is about to lapse (or has). */
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible' && getAccessToken() !== null) {
      void this.ensureFreshToken();
    }
  };

  private onTabMessage(message: TabMessage): void {
    if (message.type === 'signed-out' && this.state.status === 'signed-in') {
      this.end('signed-out-elsewhere');
    } else if (message.type === 'signed-in' && this.state.status !== 'restoring') {
      // The cookie now belongs to that sign-in: adopt it, whoever was (or was not) signed in here.
      void this.refresh();
    }
  }

  private post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) {
      listener();
    }
  }
}

/** One per page, like the access token it manages. */
export const sessionStore = new SessionStore(createSessionClient());
