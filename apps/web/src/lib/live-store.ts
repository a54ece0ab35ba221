import type { LiveEvent } from '@tradepool/domain/events';

/**
 * What a stream follows: the person's own money events (`user`), one pool's events (`pool:<id>`), or, for staff, every
 * pool's changes (`admin`, socket.io's admin room: no tRPC stream carries it).
 */
export type ScopeKey = 'user' | 'admin' | `pool:${string}`;

export const USER_SCOPE: ScopeKey = 'user';
export const ADMIN_SCOPE: ScopeKey = 'admin';

export function poolScope(poolId: string): ScopeKey {
  return `pool:${poolId}`;
}

export type TransportKind = 'sse' | 'socket.io';

/** What a transport reports about one stream it carries. */
export interface StreamCallbacks {
  /** Where to resume from: the newest id taken in this scope, whichever transport brought it. */
  position(): string | null;
  /**
   * Subscribed: what was missed since `position()` is replayed first (when `resumed`), then live events follow. Not
   * `resumed` (no position, or a transport that cannot replay this scope): events from before may be missing.
   */
  started(resumed: boolean): void;
  event(event: LiveEvent): void;
  /** Lost; the transport is trying again. */
  interrupted(): void;
  /** More was missed than the server replays (RESYNC_REQUIRED). */
  resyncRequired(): void;
  /** This transport cannot carry streams here (SSE: nothing came through in time, or every attempt failed). */
  failed(reason: string): void;
  /** The server refused the session behind the stream (token expired or session revoked). */
  unauthorized(): void;
}

export interface LiveTransport {
  readonly kind: TransportKind;
  /** Starts one scope's stream; returns the function that ends it. */
  open(scope: ScopeKey, callbacks: StreamCallbacks): () => void;
  /** Ends the connection itself (the store has closed every stream first). */
  dispose(): void;
}

export interface LiveWatcher {
  onEvent: (event: LiveEvent) => void;
  /** The stream (re)started without replaying: what is shown may lack events from before. Refetch it. */
  onResync?: () => void;
}

/** `idle`: not open. `opening`: never started yet. `live`: following. `interrupted`: was live, trying again. */
export type ScopeState = 'idle' | 'opening' | 'live' | 'interrupted';

interface Scope {
  key: ScopeKey;
  watchers: Set<LiveWatcher>;
  lastId: string | null;
  state: ScopeState;
  /** Ends the current stream; null when none is open. */
  close: (() => void) | null;
  /** The current stream's identity: callbacks of an ended one (its transport's last words) are ignored. */
  stream: object | null;
}

/** Event ids are increasing integers as strings, possibly beyond 2^53: compare them as digit strings. */
export function isAfter(id: string, last: string | null): boolean {
  if (last === null) {
    return true;
  }
  if (id.length !== last.length) {
    return id.length > last.length;
  }
  return id > last;
}

export interface LiveStoreOptions {
  /** A transport gave up: the caller picks another (`setTransport`). */
  onTransportFailed: (kind: TransportKind, reason: string) => void;
  onUnauthorized: () => void;
}

/**
 * The one client-side event store: every live event the SPA shows goes through it, whichever transport (tRPC SSE or
 * socket.io) carries it. Per scope it keeps the newest id taken, so
 * - each event is delivered once and in order: anything not above that id is a repeat (an overlapping replay, or the
 *   old transport's last words during a switch) and is dropped;
 * - a transport switch loses nothing: the new transport's streams resume from that id and the server replays the gap;
 * - RESYNC_REQUIRED forgets the position and starts the scope afresh (its watchers refetch, as on a first join).
 * One stream per scope for the whole app, however many components watch it.
 */
export class LiveStore {
  private readonly scopes = new Map<ScopeKey, Scope>();
  private readonly listeners = new Set<() => void>();
  private transport: LiveTransport | null = null;
  private version = 0;

  constructor(private readonly options: LiveStoreOptions) {}

  get transportKind(): TransportKind | null {
    return this.transport?.kind ?? null;
  }

  /** Changes on every state change, for `useSyncExternalStore` snapshots. */
  get snapshot(): number {
    return this.version;
  }

  /** The scopes someone watches. */
  get watched(): ScopeKey[] {
    return [...this.scopes.keys()];
  }

  stateOf(scope: ScopeKey): ScopeState {
    return this.scopes.get(scope)?.state ?? 'idle';
  }

  positionOf(scope: ScopeKey): string | null {
    return this.scopes.get(scope)?.lastId ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Moves every stream to `next` (null: none, signed out). Positions are kept, so the new streams resume where the
   * old ones stopped; states are kept too, so a planned switch does not read as an outage.
   */
  setTransport(next: LiveTransport | null): void {
    const previous = this.transport;
    for (const scope of this.scopes.values()) {
      this.end(scope);
    }
    previous?.dispose();
    this.transport = next;
    for (const scope of this.scopes.values()) {
      if (next) {
        this.open(scope);
      } else {
        scope.state = 'idle';
      }
    }
    this.changed();
  }

  /** Reopens every stream on the same transport (SSE after a token renewal: the new cookie opens them). */
  reopen(): void {
    if (this.transport) {
      for (const scope of this.scopes.values()) {
        this.end(scope);
        this.open(scope);
      }
    }
  }

  /** Forgets every position (another person signed in): their streams start afresh. */
  forgetPositions(): void {
    for (const scope of this.scopes.values()) {
      scope.lastId = null;
    }
  }

  watch(key: ScopeKey, watcher: LiveWatcher): () => void {
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = { key, watchers: new Set(), lastId: null, state: 'idle', close: null, stream: null };
      this.scopes.set(key, scope);
      scope.watchers.add(watcher);
      if (this.transport) {
        this.open(scope);
      }
      this.changed();
    } else {
      scope.watchers.add(watcher);
    }
    const watched = scope;
    return () => {
      watched.watchers.delete(watcher);
      if (watched.watchers.size === 0 && this.scopes.get(key) === watched) {
        this.scopes.delete(key);
        this.end(watched);
        this.changed();
      }
    };
  }

  private open(scope: Scope): void {
    const transport = this.transport;
    if (!transport) {
      return;
    }
    const stream = {};
    scope.stream = stream;
    const current = () => scope.stream === stream && this.scopes.get(scope.key) === scope;
    if (scope.state === 'idle') {
      scope.state = 'opening';
    }
    scope.close = transport.open(scope.key, {
      position: () => scope.lastId,
      started: (resumed) => {
        if (!current()) {
          return;
        }
        this.setState(scope, 'live');
        if (!resumed) {
          for (const watcher of scope.watchers) {
            watcher.onResync?.();
          }
        }
      },
      event: (event) => {
        if (current()) {
          this.take(scope, event);
        }
      },
      interrupted: () => {
        if (current() && scope.state === 'live') {
          this.setState(scope, 'interrupted');
        }
      },
      resyncRequired: () => {
        if (!current()) {
          return;
        }
        this.end(scope);
        scope.lastId = null;
        this.open(scope);
      },
      failed: (reason) => {
        if (current()) {
          this.options.onTransportFailed(transport.kind, reason);
        }
      },
      unauthorized: () => {
        if (current()) {
          this.setState(scope, scope.state === 'opening' ? 'opening' : 'interrupted');
          this.options.onUnauthorized();
        }
      },
    });
  }

  private end(scope: Scope): void {
    const close = scope.close;
    scope.close = null;
    scope.stream = null;
    close?.();
  }

  private take(scope: Scope, event: LiveEvent): void {
    if (!isAfter(event.id, scope.lastId)) {
      return;
    }
    scope.lastId = event.id;
    for (const watcher of scope.watchers) {
      watcher.onEvent(event);
    }
  }

  private setState(scope: Scope, state: ScopeState): void {
    if (scope.state !== state) {
      scope.state = state;
      this.changed();
    }
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) {
      listener();
    }
  }
}
