import type { Database, NotificationConnection } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

/** `tradepool_pg_listen_connected`'s value in a scrape, or null when the series is absent. */
async function listenGauge(url: string): Promise<number | null> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  const match = /^tradepool_pg_listen_connected (\S+)$/m.exec(await response.text());
  return match ? Number(match[1]) : null;
}

/**
 * The LISTEN connection's state in /readyz and /metrics (ARCHITECTURE.md "Wake-ups"). On the real Postgres the test
 * cuts the connection server-side and holds the reconnect back, so the "down" state is observed, then released.
 */
describeEachDialect(
  'the Postgres LISTEN connection in /readyz and /metrics',
  (suite) => {
    let server: TestServer;
    let refuse = false;
    let current: NotificationConnection | null = null;

    beforeAll(async () => {
      const database = suite.getDb();
      const listen = database.listenConnection?.bind(database);
      // The same database, with a LISTEN connection the test can refuse and see.
      const controlled: Database = listen
        ? {
            ...database,
            async listenConnection() {
              if (refuse) {
                throw new Error('refused by the test');
              }
              current = await listen();
              return current;
            },
          }
        : database;
      server = await startTestServer(controlled);
    });

    afterAll(async () => {
      await server?.close();
    });

    it('reports the connection up, down while it reconnects (still ready), and up again', async () => {
      if (suite.driver() !== 'postgres') {
        // PGlite has one process and no LISTEN connection: nothing to report, and no gauge that would read "down".
        const ready = await call(server.url, 'GET', '/readyz');
        expect(ready.status).toBe(200);
        expect(ready.body).toEqual({ status: 'ready', database: 'postgres' });
        expect(await listenGauge(server.url)).toBeNull();
        return;
      }
      expect((await call(server.url, 'GET', '/readyz')).body).toEqual({
        status: 'ready',
        database: 'postgres',
        notifications: 'listening',
      });
      expect(await listenGauge(server.url)).toBe(1);

      refuse = true;
      const pid = (current as unknown as { processID: number }).processID;
      await suite.getDb().db.execute(sql`select pg_terminate_backend(${pid})`);
      await vi.waitFor(
        async () => {
          const ready = await call(server.url, 'GET', '/readyz');
          expect(ready.status).toBe(200);
          expect(ready.body.notifications).toBe('reconnecting');
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(await listenGauge(server.url)).toBe(0);

      refuse = false;
      await vi.waitFor(
        async () => {
          expect((await call(server.url, 'GET', '/readyz')).body.notifications).toBe('listening');
        },
        { timeout: 20_000, interval: 50 },
      );
      expect(await listenGauge(server.url)).toBe(1);
    }, 60_000);
  },
  { dialects: ['postgres'] },
);
