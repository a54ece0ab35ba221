import type { LiveEvent } from '@tradepool/domain/events';
import { describe, expect, it } from 'vitest';
import {
  isAfter,
  LiveStore,
  type LiveTransport,
  poolScope,
  type StreamCallbacks,
  type TransportKind,
} from './live-store';

/** A transport driven by the test: it records what was opened from which position and lets the test speak for it. */
class ScriptedTransport implements LiveTransport {
  readonly opened: { scope: string; from: string | null }[] = [];
  readonly streams = new Map<string, StreamCallbacks>();
  disposed = false;

  constructor(readonly kind: TransportKind) {}

  open(scope: string, callbacks: StreamCallbacks) {
    this.opened.push({ scope, from: callbacks.position() });
    this.streams.set(scope, callbacks);
    return () => {
      this.streams.delete(scope);
    };
  }

  dispose() {
    this.disposed = true;
  }

  stream(scope: string): StreamCallbacks {
    const callbacks = this.streams.get(scope);
    if (!callbacks) {
      throw new Error(`no open stream for ${scope}`);
    }
    return callbacks;
  }
}

function trade(id: string, poolId = 'p1'): LiveEvent {
  return { id, type: 'trade:executed', poolId, at: '2026-01-01T00:00:00.000Z', data: { tradeId: id } };
}

function setUp() {
  const failures: TransportKind[] = [];
  let unauthorized = 0;
  const store = new LiveStore({
    onTransportFailed: (kind) => failures.push(kind),
    onUnauthorized: () => {
      unauthorized += 1;
    },
  });
  const received: string[] = [];
  let resyncs = 0;
  const stop = store.watch(poolScope('p1'), {
    onEvent: (event) => received.push(event.id),
    onResync: () => {
      resyncs += 1;
    },
  });
  return { store, failures, received, stop, resyncs: () => resyncs, unauthorized: () => unauthorized };
}

describe('LiveStore', () => {
  it('delivers each event once and in order: repeats and stragglers from an overlapping replay are dropped', () => {
    const { store, received } = setUp();
    const sse = new ScriptedTransport('sse');
    store.setTransport(sse);
    const stream = sse.stream('pool:p1');
    stream.started(false);
    for (const id of ['5', '6', '6', '4', '7', '10', '9']) {
      stream.event(trade(id));
    }
    expect(received).toEqual(['5', '6', '7', '10']);
    expect(store.positionOf(poolScope('p1'))).toBe('10');
  });

  it('resumes from the last id taken when the transport switches, so the switch loses and repeats nothing', () => {
    const { store, received, failures } = setUp();
    const sse = new ScriptedTransport('sse');
    store.setTransport(sse);
    const sseStream = sse.stream('pool:p1');
    sseStream.started(false);
    sseStream.event(trade('1'));
    sseStream.event(trade('2'));
    sseStream.failed('no stream started within 5000 ms');
    expect(failures).toEqual(['sse']);

    const socket = new ScriptedTransport('socket.io');
    store.setTransport(socket);
    expect(sse.disposed).toBe(true);
    expect(socket.opened).toEqual([{ scope: 'pool:p1', from: '2' }]);
    // The old stream's late words are ignored; the new one replays from 2, overlapping what already arrived.
    sseStream.event(trade('3'));
    const socketStream = socket.stream('pool:p1');
    for (const id of ['2', '3', '4']) {
      socketStream.event(trade(id));
    }
    socketStream.started(true);
    socketStream.event(trade('5'));
    expect(received).toEqual(['1', '2', '3', '4', '5']);

    // And back: the next transport resumes from 5.
    const again = new ScriptedTransport('sse');
    store.setTransport(again);
    expect(again.opened).toEqual([{ scope: 'pool:p1', from: '5' }]);
  });

  it('keeps ids beyond 2^53 in order (compared as digit strings)', () => {
    expect(isAfter('9007199254740993', '9007199254740992')).toBe(true);
    expect(isAfter('10', '9')).toBe(true);
    expect(isAfter('9', '10')).toBe(false);
    expect(isAfter('1', null)).toBe(true);
  });

  it('asks watchers to refetch when a stream starts without replaying, not when it resumes', () => {
    const { store, resyncs } = setUp();
    const sse = new ScriptedTransport('sse');
    store.setTransport(sse);
    sse.stream('pool:p1').started(false);
    expect(resyncs()).toBe(1);
    sse.stream('pool:p1').event(trade('3'));
    sse.stream('pool:p1').started(true);
    expect(resyncs()).toBe(1);
  });

  it('starts afresh on RESYNC_REQUIRED: the position is forgotten and the stream reopened without it', () => {
    const { store, received, resyncs } = setUp();
    const sse = new ScriptedTransport('sse');
    store.setTransport(sse);
    sse.stream('pool:p1').started(false);
    sse.stream('pool:p1').event(trade('8'));
    sse.stream('pool:p1').resyncRequired();
    expect(sse.opened).toEqual([
      { scope: 'pool:p1', from: null },
      { scope: 'pool:p1', from: null },
    ]);
    sse.stream('pool:p1').started(false);
    expect(resyncs()).toBe(2);
    // After a fresh start an id below the forgotten position is new to this store.
    sse.stream('pool:p1').event(trade('7'));
    expect(received).toEqual(['8', '7']);
  });

  it('opens one stream per scope however many watch it, and closes it with the last watcher', () => {
    const { store, stop } = setUp();
    const sse = new ScriptedTransport('sse');
    store.setTransport(sse);
    const other = store.watch(poolScope('p1'), { onEvent: () => undefined });
    expect(sse.opened).toHaveLength(1);
    stop();
    expect(sse.streams.has('pool:p1')).toBe(true);
    other();
    expect(sse.streams.has('pool:p1')).toBe(false);
    expect(store.watched).toEqual([]);
  });

  it('tracks each stream state: opening, live, interrupted, and idle without a transport', () => {
    const { store, unauthorized } = setUp();
    const scope = poolScope('p1');
    expect(store.stateOf(scope)).toBe('idle');
    const sse = new ScriptedTransport('sse');
    store.setTransport(sse);
    expect(store.stateOf(scope)).toBe('opening');
    sse.stream(scope).started(false);
    expect(store.stateOf(scope)).toBe('live');
    sse.stream(scope).interrupted();
    expect(store.stateOf(scope)).toBe('interrupted');
    sse.stream(scope).unauthorized();
    expect(unauthorized()).toBe(1);
    store.setTransport(null);
    expect(store.stateOf(scope)).toBe('idle');
  });
});
