import { hostname } from 'node:os';
import type { Database } from '@tradepool/db';
import type { LiveEvent, MetricsSummaryView } from '@tradepool/domain';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  type MetricValueWithName,
  Registry,
} from 'prom-client';

/** What a webhook delivery came to, from the status the contract (§4) gives it. */
export type WebhookOutcome =
  | 'accepted'
  | 'duplicate'
  | 'bad_signature'
  | 'invalid'
  | 'unknown_pool'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'error';

export function webhookOutcome(status: number): WebhookOutcome {
  switch (status) {
    case 202:
      return 'accepted';
    case 200:
      // Only a repeated webhook-id answers 200 (§4); a first delivery answers 202.
      return 'duplicate';
    case 401:
      return 'bad_signature';
    case 400:
      return 'invalid';
    case 404:
      return 'unknown_pool';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    case 429:
      return 'rate_limited';
    default:
      return 'error';
  }
}

/** Connections of the database: the pg pool's counts, or on SQLite the write connection and its queue. */
export interface ConnectionCounts {
  total: number;
  idle: number;
  waiting: number;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Quantile estimated from cumulative histogram buckets (linear inside the bucket, as Prometheus does). */
export function quantileFromBuckets(buckets: Array<{ le: number; count: number }>, q: number): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) {
    return null;
  }
  const rank = q * total;
  let previousLe = 0;
  let previousCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) {
        // Beyond the last finite bound: the best we can say is "at least" that bound.
        return previousLe;
      }
      const inBucket = bucket.count - previousCount;
      const fraction = inBucket === 0 ? 1 : (rank - previousCount) / inBucket;
      return previousLe + (bucket.le - previousLe) * fraction;
    }
    previousLe = Number.isFinite(bucket.le) ? bucket.le : previousLe;
    previousCount = bucket.count;
  }
  return previousLe;
}

type Values = MetricObjectWithValues<MetricValue<string>>;
type HistogramValues = MetricObjectWithValues<MetricValueWithName<string>>;

function bucketsOf(metric: HistogramValues, match: (labels: Record<string, unknown>) => boolean) {
  const byLe = new Map<number, number>();
  for (const value of metric.values) {
    if (!value.metricName?.endsWith('_bucket') || !match(value.labels)) {
      continue;
    }
    const le = value.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(value.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + value.value);
  }
  return [...byLe].map(([le, count]) => ({ le, count }));
}

function ms(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 10_000) / 10;
}

/** The admin overview's condensed metrics (`MetricsSummaryView`, declared in the domain). */
export type MetricsSummary = MetricsSummaryView;

/**
 * The process's Prometheus metrics (GET /metrics) and the admin overview's summary of them. One registry per
 * process (per test server), not prom-client's global one, so several servers in one test process stay apart.
 * Numbers are per process: with N processes Prometheus scrapes each and sums.
 */
export class Metrics {
  readonly registry = new Registry();
  #lastAt = '';
  #lastAppended = Number.NaN;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly eventsDispatched: Counter;
  readonly dispatchLag: Histogram;
  readonly schedulerRuns: Counter<'result'>;
  readonly schedulerTransitions: Counter<'to'>;
  #sockets: () => number = () => 0;
  #streams: () => number = () => 0;
  #inflight: () => number = () => 0;
  readonly #started = Date.now();
  #defaultsCollected = false;

  constructor(private readonly database: Database | null = null) {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'tradepool_http_requests_total',
      help: 'HTTP requests answered, by method, matched route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'tradepool_http_request_duration_seconds',
      help: 'HTTP request latency until the handler answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'tradepool_webhook_deliveries_total',
      help: 'Trading model webhook deliveries, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['accepted', 'duplicate', 'bad_signature', 'invalid'] as const) {
      // Present at 0 from the start, so rate() and alerts work before the first delivery of each kind.
      this.webhookDeliveries.inc({ outcome }, 0);
    }
    this.eventsDispatched = new Counter({
      name: 'tradepool_events_dispatched_total',
      help: 'Live events fanned out by this process (every process fans out every event)',
      registers,
    });
    this.dispatchLag = new Histogram({
      name: 'tradepool_event_dispatch_lag_seconds',
      help: "Time from an event's append (in its committing transaction) to its fan-out in this process",
      buckets: LAG_BUCKETS,
      registers,
    });
    this.schedulerRuns = new Counter({
      name: 'tradepool_scheduler_runs_total',
      help: 'Pool scheduler ticks, by result (ok or failed)',
      labelNames: ['result'],
      registers,
    });
    this.schedulerRuns.inc({ result: 'ok' }, 0);
    this.schedulerRuns.inc({ result: 'failed' }, 0);
    this.schedulerTransitions = new Counter({
      name: 'tradepool_scheduler_transitions_total',
      help: 'Pools moved by this process scheduler, by new status (summed over processes: each transition once)',
      labelNames: ['to'],
      registers,
    });
    for (const to of ['ACTIVE', 'CLOSED', 'SETTLING']) {
      this.schedulerTransitions.inc({ to }, 0);
    }
    const self = this;
    new Gauge({
      name: 'tradepool_socketio_connections',
      help: 'Open socket.io connections on this process',
      registers,
      collect() {
        this.set(self.#sockets());
      },
    });
    new Gauge({
      name: 'tradepool_http_requests_in_flight',
      help: 'HTTP requests being answered now (streams excluded); shutdown waits for these',
      registers,
      collect() {
        this.set(self.#inflight());
      },
    });
    new Gauge({
      name: 'tradepool_sse_streams',
      help: 'Open server-sent event streams (tRPC subscriptions) on this process',
      registers,
      collect() {
        this.set(self.#streams());
      },
    });
    new Gauge({
      name: 'tradepool_db_pool_connections',
      help: 'Database connections by state (Postgres pool; SQLite: the one write connection)',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = self.connectionCounts();
        this.set({ state: 'total' }, counts.total);
        this.set({ state: 'idle' }, counts.idle);
        this.set({ state: 'in_use' }, counts.total - counts.idle);
      },
    });
    new Gauge({
      name: 'tradepool_db_pool_waiting',
      help: 'Queries waiting for a database connection (SQLite: transactions queued for the writer)',
      registers,
      collect() {
        this.set(self.connectionCounts().waiting);
      },
    });
  }

  /** Node process metrics (memory, event loop lag, GC); once per registry, by the server process only. */
  collectProcessMetrics(): void {
    if (!this.#defaultsCollected) {
      this.#defaultsCollected = true;
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /**
   * Where the open-connection gauges read from (the server attaches socket.io and counts streams). `listening`, given
   * on Postgres only, adds `tradepool_pg_listen_connected`, so SQLite and PGlite never show a connection that is down.
   */
  attach(sources: {
    sockets?: () => number;
    streams?: () => number;
    inflight?: () => number;
    listening?: () => boolean;
  }): void {
    const listening = sources.listening;
    if (listening && !this.registry.getSingleMetric('tradepool_pg_listen_connected')) {
      new Gauge({
        name: 'tradepool_pg_listen_connected',
        help: "1 while this process's Postgres LISTEN connection (event wake-ups, session revocations) is up, 0 while it reconnects",
        registers: [this.registry],
        collect() {
          this.set(listening() ? 1 : 0);
        },
      });
    }
    if (sources.inflight) {
      this.#inflight = sources.inflight;
    }
    if (sources.sockets) {
      this.#sockets = sources.sockets;
    }
    if (sources.streams) {
      this.#streams = sources.streams;
    }
  }

  connectionCounts(): ConnectionCounts {
    return this.database?.connections?.() ?? { total: 0, idle: 0, waiting: 0 };
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  observeWebhook(status: number): void {
    this.webhookDeliveries.inc({ outcome: webhookOutcome(status) });
  }

  /** Called for every event this process fans out: `at` is stamped when the event is appended, just before commit. */
  observeDispatch(event: Pick<LiveEvent, 'at'>, now = Date.now()): void {
    this.eventsDispatched.inc();
    // Events come in id order, mostly in runs with one instant (a scheduler batch stamps thousands with one), and
    // share its text: parsed once per run.
    if (event.at !== this.#lastAt) {
      this.#lastAt = event.at;
      this.#lastAppended = Date.parse(event.at);
    }
    const appended = this.#lastAppended;
    if (Number.isFinite(appended)) {
      this.dispatchLag.observe(Math.max(0, now - appended) / 1000);
    }
  }

  observeSchedulerRun(result: { activated: number; closed: number; settling: number } | null): void {
    if (!result) {
      this.schedulerRuns.inc({ result: 'failed' });
      return;
    }
    this.schedulerRuns.inc({ result: 'ok' });
    this.schedulerTransitions.inc({ to: 'ACTIVE' }, result.activated);
    this.schedulerTransitions.inc({ to: 'CLOSED' }, result.closed);
    this.schedulerTransitions.inc({ to: 'SETTLING' }, result.settling);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The same numbers as /metrics, condensed for the admin overview page. */
  async summary(): Promise<MetricsSummaryView> {
    const all = (await this.registry.getMetricsAsJSON()) as Values[];
    const byName = new Map(all.map((m) => [m.name, m]));
    const values = (name: string) => byName.get(name)?.values ?? [];
    const sum = (name: string, match: (labels: Record<string, unknown>) => boolean = () => true) =>
      values(name)
        .filter((v) => match(v.labels))
        .reduce((total, v) => total + v.value, 0);
    const isServerError = (labels: Record<string, unknown>) => String(labels.status).startsWith('5');

    const duration = byName.get('tradepool_http_request_duration_seconds') as HistogramValues | undefined;
    const routeNames = new Set(values('tradepool_http_requests_total').map((v) => String(v.labels.route)));
    const routes = [...routeNames]
      .map((route) => ({
        route,
        requests: sum('tradepool_http_requests_total', (l) => l.route === route),
        serverErrors: sum('tradepool_http_requests_total', (l) => l.route === route && isServerError(l)),
        p95Ms: duration
          ? ms(
              quantileFromBuckets(
                bucketsOf(duration, (l) => l.route === route),
                0.95,
              ),
            )
          : null,
      }))
      .sort((a, b) => b.requests - a.requests)
      .slice(0, 12);
    const allBuckets = duration ? bucketsOf(duration, () => true) : [];
    const lag = byName.get('tradepool_event_dispatch_lag_seconds') as HistogramValues | undefined;
    const lagBuckets = lag ? bucketsOf(lag, () => true) : [];

    const byOutcome: Record<string, number> = {};
    for (const v of values('tradepool_webhook_deliveries_total')) {
      byOutcome[String(v.labels.outcome)] = (byOutcome[String(v.labels.outcome)] ?? 0) + v.value;
    }
    const transitions: Record<string, number> = {};
    for (const v of values('tradepool_scheduler_transitions_total')) {
      transitions[String(v.labels.to)] = v.value;
    }
    const connections = this.connectionCounts();
    const memory = process.memoryUsage();
    return {
      at: new Date().toISOString(),
      process: {
        pid: process.pid,
        host: hostname(),
        uptimeSec: Math.round((Date.now() - this.#started) / 1000),
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
      },
      http: {
        requests: sum('tradepool_http_requests_total'),
        serverErrors: sum('tradepool_http_requests_total', isServerError),
        p50Ms: ms(quantileFromBuckets(allBuckets, 0.5)),
        p95Ms: ms(quantileFromBuckets(allBuckets, 0.95)),
        routes,
      },
      webhooks: { total: Object.values(byOutcome).reduce((a, b) => a + b, 0), byOutcome },
      realtime: { sockets: this.#sockets(), streams: this.#streams() },
      dispatch: {
        events: sum('tradepool_events_dispatched_total'),
        lagP50Ms: ms(quantileFromBuckets(lagBuckets, 0.5)),
        lagP99Ms: ms(quantileFromBuckets(lagBuckets, 0.99)),
      },
      scheduler: {
        runs: sum('tradepool_scheduler_runs_total'),
        failedRuns: sum('tradepool_scheduler_runs_total', (l) => l.result === 'failed'),
        transitions,
      },
      database: {
        dialect: this.database?.dialect ?? 'unknown',
        total: connections.total,
        idle: connections.idle,
        inUse: connections.total - connections.idle,
        waiting: connections.waiting,
      },
    };
  }
}
