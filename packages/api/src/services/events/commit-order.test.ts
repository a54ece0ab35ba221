import { createDatabase, type Database } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { type LiveEvent, systemClock } from '@tradepool/domain';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { SessionEvents } from '../../context';
import { EventDispatcher } from './dispatcher';
import { InProcessEventBus } from './event-bus';
import { appendEvent, eventsTransaction } from './event-store';
import { PostgresNotifications } from './pg-notifications';

const log = pino({ level: 'silent' });

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Collects every event a dispatcher fans out, in delivery order. */
function recorder(dispatcher: EventDispatcher) {
  const ids: number[] = [];
  let waiting: { count: number; resolve: () => void } | null = null;
  dispatcher.addSink({
    deliver(event) {
      ids.push(Number(event.id));
      if (waiting && ids.length >= waiting.count) {
        waiting.resolve();
      }
    },
  });
  return {
    ids,
    /** Resolves once `count` events have been delivered (however the dispatcher was woken). */
    reach(count: number): Promise<void> {
      if (ids.length >= count) {
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        waiting = { count, resolve };
      });
    },
  };
}

async function storedIds(database: Database): Promise<number[]> {
  const { events } = database.schema;
  const rows = await database.db.select({ id: events.id }).from(events).orderBy(events.id);
  return rows.map((r) => r.id);
}

/**
 * Events become readable in commit order without one lock serialising the writers (ARCHITECTURE.md "Live events").
 * Only the real Postgres runs transactions in parallel; PGlite and SQLite have one writer, so there the scenarios
 * below cannot arise (they still run, serialised, as a check of the single-writer path).
 */
describeEachDialect('events in commit order from parallel writers', (suite) => {
  const parallel = () => suite.driver() === 'postgres';

  it('a later id that commits first waits for the earlier one still open; then both arrive once, in order', async () => {
    if (!parallel()) {
      return;
    }
    await suite.reset();
    const database = suite.getDb();
    const bus = new InProcessEventBus();
    const deps = { database, bus, clock: systemClock };
    const dispatcher = new EventDispatcher(database, bus, log);
    await dispatcher.start();
    const seen = recorder(dispatcher);
    const hold = gate();
    let low: Promise<void> = Promise.resolve();
    try {
      const appended = gate();
      let lowId = 0;
      low = eventsTransaction(deps, async (tx) => {
        lowId = await appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: { n: 1 } });
        appended.open();
        await hold.promise;
      });
      await appended.promise;
      const highId = await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: { n: 2 } }),
      );
      expect(highId).toBeGreaterThan(lowId);
      // One dispatch pass (drain would wait for the open transaction): the higher id is committed and visible, but
      // the transaction holding the lower one is still open, so nothing is final yet.
      await dispatcher.drain(0);
      expect(seen.ids).toEqual([]);
      hold.open();
      await low;
      await dispatcher.drain();
      expect(seen.ids).toEqual([lowId, highId]);
    } finally {
      // A failed assertion must not leave a transaction open: it would hold every reader's xmin back.
      hold.open();
      await low.catch(() => undefined);
      dispatcher.stop();
    }
  });

  it('a transaction that got its transaction id first but appends last is never skipped', async () => {
    if (!parallel()) {
      return;
    }
    await suite.reset();
    const database = suite.getDb();
    const bus = new InProcessEventBus();
    const deps = { database, bus, clock: systemClock };
    const dispatcher = new EventDispatcher(database, bus, log);
    await dispatcher.start();
    const seen = recorder(dispatcher);
    const t1May = gate();
    const t2May = gate();
    try {
      // T1 writes first (a ledger row would do the same; this takes its transaction id), T2 starts later, appends its
      // event first and stays open; T1 then appends and commits. With a plain sequence T2 would hold the lower id
      // while T1's higher id, from the older transaction, already passed a "xact_id < xmin" check.
      const t1HasXid = gate();
      const t2Appended = gate();
      let id1 = 0;
      let id2 = 0;
      const t1 = eventsTransaction(deps, async (tx) => {
        await tx.execute(sql`select pg_current_xact_id()`);
        t1HasXid.open();
        await t1May.promise;
        id1 = await appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: { t: 1 } });
      });
      await t1HasXid.promise;
      const t2 = eventsTransaction(deps, async (tx) => {
        id2 = await appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: { t: 2 } });
        t2Appended.open();
        await t2May.promise;
      });
      await t2Appended.promise;
      t1May.open();
      await t1;
      await dispatcher.drain();
      expect(seen.ids).toEqual(id1 < id2 ? [id1] : []);
      t2May.open();
      await t2;
      await dispatcher.drain();
      expect(seen.ids).toEqual([id1, id2].sort((a, b) => a - b));
      expect(seen.ids).toEqual(await storedIds(database));
    } finally {
      t1May.open();
      t2May.open();
      dispatcher.stop();
    }
  });

  it('parallel writers committing out of id order: every dispatcher, in this process and one woken by NOTIFY, sees every id once, in order', async () => {
    await suite.reset();
    const database = suite.getDb();
    const url = suite.getUrl();
    // A second process's view: its own connection pool, woken only by LISTEN/NOTIFY (no polling, no shared bus).
    const other: Database | null = parallel() && url ? await createDatabase(url) : null;
    const bus = new InProcessEventBus();
    const deps = { database, bus, clock: systemClock };
    const local = new EventDispatcher(database, bus, log);
    await local.start();
    const localSeen = recorder(local);
    const remote = other ? new EventDispatcher(other, new InProcessEventBus(), log) : null;
    const remoteSeen = remote ? recorder(remote) : null;
    const listen = other?.listenConnection?.bind(other);
    const notifications =
      remote && listen
        ? new PostgresNotifications({
            connect: listen,
            log,
            wake: () => remote.wake(),
            sessionEvents: new SessionEvents(),
          })
        : null;
    await remote?.start();
    await notifications?.start();
    try {
      const writers = 6;
      const perWriter = 25;
      let appended = 0;
      await Promise.all(
        Array.from({ length: writers }, (_, w) =>
          (async () => {
            for (let i = 0; i < perWriter; i++) {
              await eventsTransaction(deps, async (tx) => {
                if (parallel() && (w + i) % 2 === 0) {
                  // Take a transaction id before appending, as money transactions do with their ledger rows.
                  await tx.execute(sql`select pg_current_xact_id()`);
                }
                if (parallel()) {
                  await tx.execute(sql`select pg_sleep(${((w * 7 + i * 3) % 5) / 1000})`);
                }
                const count = 1 + ((w + i) % 3);
                for (let k = 0; k < count; k++) {
                  await appendEvent(deps, tx, { type: 'pool:update', poolId: `p${w}`, data: { w, i, k } });
                  appended += 1;
                }
                if (parallel()) {
                  await tx.execute(sql`select pg_sleep(${((w * 3 + i * 7) % 4) / 1000})`);
                }
              });
            }
          })(),
        ),
      );
      const stored = await storedIds(database);
      expect(stored).toHaveLength(appended);
      await local.drain();
      expect(localSeen.ids).toEqual(stored);
      if (remoteSeen !== null) {
        await remoteSeen.reach(stored.length);
        expect(remoteSeen.ids).toEqual(stored);
      }
    } finally {
      local.stop();
      remote?.stop();
      await notifications?.stop();
      await other?.close();
    }
  }, 60_000);

  it('the LISTEN connection comes back after Postgres drops it, and wakes the dispatcher for what was missed', async () => {
    const url = suite.getUrl();
    if (!parallel() || !url) {
      return;
    }
    await suite.reset();
    const database = suite.getDb();
    const other = await createDatabase(url);
    const remote = new EventDispatcher(other, new InProcessEventBus(), log);
    const seen = recorder(remote);
    const listen = other.listenConnection?.bind(other);
    if (!listen) {
      throw new Error('Postgres has a listen connection');
    }
    let connections = 0;
    const reconnected = gate();
    const notifications = new PostgresNotifications({
      connect: async () => {
        connections += 1;
        const client = await listen();
        if (connections === 2) {
          reconnected.open();
        }
        return client;
      },
      log,
      wake: () => remote.wake(),
      sessionEvents: new SessionEvents(),
    });
    await remote.start();
    await notifications.start();
    const bus = new InProcessEventBus();
    const deps = { database, bus, clock: systemClock };
    try {
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: {} }),
      );
      await seen.reach(1);
      expect(notifications.listening).toBe(true);
      // The server ends the listening session (failover, restart, idle kill). Events committed before the new LISTEN
      // is in place announce themselves to nobody: the wake-up after reconnecting must still find them.
      await database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where application_name = 'tradepool-listen' and datname = current_database()`,
      );
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: {} }),
      );
      await seen.reach(2);
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: {} }),
      );
      await seen.reach(3);
      expect(connections).toBeGreaterThanOrEqual(2);
      expect(seen.ids).toEqual(await storedIds(database));
    } finally {
      remote.stop();
      await notifications.stop();
      await other.close();
    }
  });

  it('a client moving to a process whose dispatcher lags behind gets nothing twice', async () => {
    await suite.reset();
    const database = suite.getDb();
    const bus = new InProcessEventBus();
    const deps = { database, bus, clock: systemClock };
    const ahead = new EventDispatcher(database, bus, log);
    // Another process's dispatcher that has not been woken for these events yet.
    const behind = new EventDispatcher(database, new InProcessEventBus(), log);
    await ahead.start();
    await behind.start();
    try {
      const seenAhead: LiveEvent[] = [];
      const stopAhead = await ahead.subscribe(
        { poolId: 'p' },
        null,
        () => {},
        (e) => seenAhead.push(e),
      );
      for (let n = 0; n < 3; n++) {
        await eventsTransaction(deps, (tx) =>
          appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: { n } }),
        );
      }
      await ahead.drain();
      stopAhead();
      expect(seenAhead).toHaveLength(3);
      const lastSeen = Number(seenAhead.at(-1)?.id);
      expect(behind.lastDispatchedId).toBeLessThan(lastSeen);
      const seenBehind: LiveEvent[] = [];
      const stop = await behind.subscribe(
        { poolId: 'p' },
        lastSeen,
        (page) => {
          seenBehind.push(...page);
        },
        (e) => seenBehind.push(e),
      );
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'p', data: { n: 3 } }),
      );
      await behind.drain();
      stop();
      expect(seenBehind.map((e) => (e.data as { n: number }).n)).toEqual([3]);
    } finally {
      ahead.stop();
      behind.stop();
    }
  });

  it('a replay waiting on a slow reader does not hold up live delivery to another pool', async () => {
    await suite.reset();
    const database = suite.getDb();
    const bus = new InProcessEventBus();
    const deps = { database, bus, clock: systemClock };
    const dispatcher = new EventDispatcher(database, bus, log);
    await dispatcher.start();
    try {
      await eventsTransaction(deps, async (tx) => {
        for (let n = 0; n < 1_200; n++) {
          await appendEvent(deps, tx, { type: 'pool:update', poolId: 'history', data: { n } });
        }
      });
      await dispatcher.drain();
      // A reader of pool B, live.
      const liveB: LiveEvent[] = [];
      const gotB = gate();
      await dispatcher.subscribe(
        { poolId: 'b' },
        null,
        () => {},
        (event) => {
          liveB.push(event);
          gotB.open();
        },
      );
      // A reader replaying pool "history" that takes its first page and then stops reading.
      const reading = gate();
      const firstPage = gate();
      const replayed: LiveEvent[] = [];
      const live: LiveEvent[] = [];
      const slow = dispatcher.subscribe(
        { poolId: 'history' },
        0,
        async (page) => {
          replayed.push(...page);
          firstPage.open();
          await reading.promise;
        },
        (event) => live.push(event),
      );
      await firstPage.promise;
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'b', data: {} }),
      );
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'history', data: { n: 1_200 } }),
      );
      // Pool B's reader got its event while the other replay is still stuck on its first page.
      await gotB.promise;
      expect(liveB).toHaveLength(1);
      expect(replayed.length).toBeLessThan(1_200);
      reading.open();
      const stop = await slow;
      // The slow reader then gets the whole history and the event that arrived meanwhile, once each, in order.
      await eventsTransaction(deps, (tx) =>
        appendEvent(deps, tx, { type: 'pool:update', poolId: 'history', data: { n: 1_201 } }),
      );
      await dispatcher.drain();
      stop();
      const all = [...replayed, ...live].map((e) => (e.data as { n: number }).n);
      expect(all).toEqual(Array.from({ length: 1_202 }, (_, n) => n));
    } finally {
      dispatcher.stop();
    }
  });
});
