import { createServer, type Server as HttpServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import {
  authenticate,
  ensureInitialSecret,
  findPool,
  PostgresNotifications,
  requestsPerIpLimiter,
  runScheduledTransitions,
  type SchedulerHandle,
  type ServiceDeps,
  startBackgroundJobs,
  startScheduler,
  type TickResult,
} from '@tradepool/api/server';
import { createApp, nodeRequestIp, type TradepoolApp } from './app';
import type { Env } from './env';
import { Inflight } from './inflight';
import { attachRealtime, type RealtimeServer } from './realtime';
import { modelWebhookRoute } from './routes/webhook-model-node';
import { mailTransport } from './services';
import { SqliteWriteWorker } from './write-worker-client';

export interface ServerDeps {
  env: Env;
  services: ServiceDeps;
  version: string;
  webDist: string | null;
  /** How long shutdown waits for in-flight requests before cutting connections. */
  shutdownGraceMs?: number;
  /** Close the database on shutdown (default true; tests that share one database across servers say false). */
  closeDatabase?: boolean;
  /** Run the pool scheduler on SCHEDULER_CRON (default true; tests drive ticks themselves). */
  scheduler?: boolean;
  /** How often to look for events written by other processes (Postgres); 0 turns it off. */
  eventPollMs?: number;
}

export interface RunningServer {
  port: number;
  url: string;
  http: HttpServer;
  io: RealtimeServer;
  app: TradepoolApp;
  scheduler: SchedulerHandle | null;
  /** One scheduler pass as the cron runs it (on the SQLite worker thread when there is one), whether or not it runs. */
  runScheduledTransitions(): Promise<TickResult>;
  /** Graceful stop: refuse new work, finish in-flight requests, close sockets, streams and the database. */
  close(): Promise<void>;
  /** Runs `fn` first thing on close (background producers stop before the server does). */
  onClose(fn: () => void): void;
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { env, services } = deps;
  const { log } = services;
  // Postgres: one LISTEN connection wakes the dispatcher on every commit anywhere and carries session revocations
  // between processes; polling stays as a slow safety net. PGlite and SQLite have one process: memory is enough.
  const { database } = services;
  const listen = database.listenConnection?.bind(database);
  const notifications = listen
    ? new PostgresNotifications({
        connect: listen,
        log,
        wake: () => services.events.wake(),
        sessionEvents: services.sessionEvents,
      })
    : null;
  const tradepool = createApp({ ...deps, notifications });
  // The model's webhook is answered from Node's request before Hono sees it (see webhook-model-node.ts); everything
  // else goes to the Hono app.
  // On SQLite the deliveries are stored, and the scheduler's passes run, by a worker thread with its own write
  // connection (see write-worker.ts).
  const writeWorker =
    env.webhookWorker && database.dialect === 'sqlite' && database.file !== undefined
      ? new SqliteWriteWorker({
          url: `file:${database.file}`,
          walCheckpoints: database.walCheckpoints,
          writeTurns: database.writeTurns,
          clock: services.clock,
          bus: services.bus,
          log,
        })
      : null;
  writeWorker?.start();
  const modelWebhook = modelWebhookRoute({ env, services, store: writeWorker });
  const http = await new Promise<HttpServer>((resolve, reject) => {
    const server = serve(
      {
        fetch: tradepool.app.fetch,
        port: env.port,
        hostname: env.host,
        createServer: ((options: ServerOptions, hono: RequestListener) =>
          createServer(options, (req, res) => {
            if (!modelWebhook(req, res)) {
              hono(req, res);
            }
          })) as typeof createServer,
      },
      () => resolve(server as HttpServer),
    ) as HttpServer;
    server.once('error', reject);
  });
  const port = (http.address() as AddressInfo).port;
  // Counted at the socket level, until the response is fully written. Event streams and socket.io long-polls are
  // left out: they never end on their own, so shutdown closes them instead of waiting for them.
  const inflight = new Inflight();
  let streams = 0;
  http.on('request', (req, res) => {
    if ((req.headers.accept ?? '').includes('text/event-stream')) {
      streams++;
      res.once('close', () => {
        streams--;
      });
      return;
    }
    if (req.url?.startsWith('/socket.io/')) {
      return;
    }
    res.once('close', inflight.begin());
  });
  const devOrigins = env.nodeEnv === 'development' ? ['http://localhost:5173', 'http://127.0.0.1:5173'] : [];
  // The same counters as the HTTP per-IP limit: a handshake is one more request from that address.
  const handshakes = requestsPerIpLimiter(services, env.rateLimitPerMin);
  const io = attachRealtime(http, {
    log,
    allowedOrigins: [...env.corsOrigins, ...devOrigins],
    authenticate: (token) => authenticate(services, token),
    admitHandshake: async (request) =>
      (await handshakes.hit(nodeRequestIp(request, env.trustProxy) ?? 'unknown')).allowed,
    sessionEvents: services.sessionEvents,
    clock: services.clock,
    events: services.events,
    canWatchPool: async (_user, poolId) => {
      try {
        await findPool(services, poolId);
        return true;
      } catch {
        return false;
      }
    },
  });
  services.metrics.attach({
    sockets: () => io.of('/').sockets.size,
    streams: () => streams,
    inflight: () => inflight.requests,
    ...(notifications ? { listening: () => notifications.listening } : {}),
  });
  await ensureInitialSecret(services);
  await services.events.start({
    pollMs: deps.eventPollMs ?? (notifications ? 5000 : database.dialect === 'postgres' ? 1000 : 0),
    replayMaxEvents: env.replayMaxEvents,
  });
  await notifications?.start();
  const runScheduled = writeWorker ? () => writeWorker.tick() : () => runScheduledTransitions(services);
  const scheduler: SchedulerHandle | null =
    deps.scheduler === false ? null : startScheduler(services, env.schedulerCron, { run: runScheduled });
  const jobs = deps.scheduler === false ? null : startBackgroundJobs(services, { mail: mailTransport(env) });

  let closing: Promise<void> | null = null;
  const closeHooks: Array<() => void> = [];
  const close = () => {
    closing ??= (async () => {
      const grace = deps.shutdownGraceMs ?? 10_000;
      for (const hook of closeHooks) {
        hook();
      }
      tradepool.startDraining();
      scheduler?.stop();
      jobs?.stop();
      // Stop accepting first; http.close() also drops idle keep-alive connections.
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Sockets are not told "disconnect" (which clients take as final): their connections just close, so they
      // reconnect to the next server and resume from their last event id.
      const finished = await inflight.idle(grace);
      if (!finished) {
        log.warn(
          { inflight: inflight.requests },
          'shutdown: grace period over, closing remaining connections',
        );
      }
      // What remains are streams (SSE) and stragglers: end them so the server can close.
      http.closeAllConnections();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      services.events.stop();
      await notifications?.stop();
      await httpClosed;
      await writeWorker?.close();
      if (deps.closeDatabase !== false) {
        await services.database.close();
      }
      log.info('server stopped');
    })();
    return closing;
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    http,
    io,
    app: tradepool,
    scheduler,
    runScheduledTransitions: runScheduled,
    close,
    onClose: (fn) => closeHooks.push(fn),
  };
}
