import { readFileSync } from 'node:fs';
import { type Child, spawnChild } from './child';
import type { Verdict } from './clients-process';
import { percentile, round, signedDelivery } from './harness';

/**
 * Posts `events` webhook deliveries at a fixed rate from this process, each carrying its sequence and send time
 * (stamped just before its POST). Open loop: delivery k is sent at start + k / rate whether or not the earlier ones
 * were answered, with at most `inFlight` unanswered (1: one at a time, as a model that waits for each answer), so a
 * server that keeps up with the rate is posted at that rate even when each answer takes longer than the interval.
 * The order clients must see is the server's (event ids), not the sequence numbers. The rate achieved (deliveries /
 * time to the last answer) is reported beside the target, with why a send went out late: this process's own timer
 * running late (the poster starved of CPU), or `inFlight` deliveries still waiting for their answers (the server
 * behind).
 */
export async function postEvents(
  url: string,
  poolId: string,
  events: number,
  perSecond: number,
  inFlight = 1,
) {
  const started = Date.now();
  let failures = 0;
  const pending = new Set<Promise<void>>();
  const answers: number[] = [];
  const timerLate: number[] = [];
  let capWaitMs = 0;
  let capWaits = 0;
  const post = async (seq: number) => {
    const sentAt = Date.now();
    const delivery = signedDelivery(poolId, 'pool_update', {
      message: 'tick',
      metrics: { seq, sentAt },
    });
    const res = await fetch(`${url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    await res.arrayBuffer();
    answers.push(Date.now() - sentAt);
    if (res.status >= 300) {
      failures++;
    }
  };
  for (let seq = 0; seq < events; seq++) {
    const due = started + (seq * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      // Only a send that waited for its slot tells how late this process's timer fires; one already behind
      // (held by unanswered deliveries) goes at once.
      timerLate.push(Date.now() - due);
    }
    if (pending.size >= inFlight) {
      const blocked = Date.now();
      capWaits++;
      while (pending.size >= inFlight) {
        await Promise.race(pending);
      }
      capWaitMs += Date.now() - blocked;
    }
    const sent: Promise<void> = post(seq).finally(() => pending.delete(sent));
    pending.add(sent);
  }
  await Promise.all(pending);
  const elapsed = Math.max(Date.now() - started, (events * 1000) / perSecond);
  answers.sort((a, b) => a - b);
  timerLate.sort((a, b) => a - b);
  return {
    failures,
    postedPerSecond: Math.round((events * 1000) / elapsed),
    poster: {
      inFlight,
      /** Sends that found `inFlight` deliveries unanswered, and the time they waited for one to be answered. */
      sendsHeldByUnanswered: capWaits,
      heldMs: capWaitMs,
      /** Sends that waited for their slot, and how late this process's timer fired (its event loop or CPU share). */
      timedSends: timerLate.length,
      timerLateP99Ms: round(percentile(timerLate, 99)),
      timerLateMaxMs: round(timerLate.at(-1) ?? 0),
      /** Webhook answer times (POST to the end of its answer). */
      answerP50Ms: round(percentile(answers, 50)),
      answerP99Ms: round(percentile(answers, 99)),
    },
  };
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. Read before and after
 * the measured events, it gives the server's CPU per event whatever else the machine is doing, which the wall-clock
 * figures and the sampled profile (it counts time the process waited for a core) cannot.
 */
function cpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence from the last ')'): utime and stime are 14th, 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** CPU ms per event between two `cpuMs` readings; null when either is unknown. */
function perEvent(before: number | null, after: number | null, events: number): number | null {
  return before === null || after === null ? null : round((after - before) / events, 2);
}

/** Deliveries the fan-out bench may have unanswered at once: enough to hold 100/s with answers up to 0.3 s. */
const IN_FLIGHT = 32;

interface Baseline {
  socketio: Verdict;
  sse: Verdict;
  rssMb: number;
  peakRssMb: number;
  idleRssMb: number;
  /** The rate asked of the bare emitter, and the rate it achieved (events / time to the last emit). */
  perSecond: number;
  emittedPerSecond: number;
  /** CPU of the bare process per event, from the first emit to the last client's verdict. */
  cpuMsPerEvent: number | null;
}

/** Rates within 10% of each other count as the same load. */
const sameRate = (a: number, b: number) => Math.min(a, b) >= 0.9 * Math.max(a, b);

/**
 * Fan-out: socket.io and SSE subscribers on one pool while the model posts events at a fixed rate through the
 * webhook; delivery latency (post → client) and completeness, beside a bare socket.io server (and bare node:http SSE)
 * broadcasting the same payloads at the same rate to the same client processes. Server and clients each run in their
 * own process (socket.io clients in one, SSE clients in another); the poster is this process.
 *
 * Both sides report the rate they achieved. Latency and memory grow with the rate (the client processes fall behind
 * at 100/s on a small machine), so the ratios are taken only between runs at the same achieved rate: when the
 * webhook could not be posted at the bare emitter's rate, the bare run is repeated at the rate the webhook achieved
 * and the ratios are against that run. The target stays the asked rate: a run that did not hold it is not met.
 */
export async function benchFanout(options: {
  sockets: number;
  streams: number;
  eventsPerSecond: number;
  seconds: number;
  warmupEvents: number;
}) {
  const events = options.eventsPerSecond * options.seconds;
  const timeoutMs = 120_000;
  const ioClients = spawnChild('clients-process.ts');
  const sseClients = spawnChild('clients-process.ts');
  const children: Child[] = [ioClients, sseClients];
  const verdicts = (count: number) =>
    Promise.all([
      ioClients.call<Verdict>('verdict', { events: count, timeoutMs }),
      sseClients.call<Verdict>('verdict', { events: count, timeoutMs }),
    ]);

  /** The same client processes against bare socket.io + bare SSE in a fresh process, `events` at `perSecond`. */
  const bareRun = async (perSecond: number): Promise<Baseline> => {
    const bare = spawnChild('bare-process.ts');
    children.push(bare);
    await bare.ready;
    const url = await bare.call<string>('startIo');
    const idle = await bare.call<{ rssMb: number }>('rss');
    const poolId = 'bare-pool';
    await ioClients.call('socketio', { url, count: options.sockets, poolId });
    await sseClients.call('sse', { url: `${url}/sse`, count: options.streams });
    await bare.call('emit', { poolId, events: options.warmupEvents, perSecond });
    await verdicts(options.warmupEvents);
    await bare.call('resetPeakRss');
    const cpuBefore = cpuMs(bare.pid);
    const { emittedPerSecond } = await bare.call<{ emittedPerSecond: number }>('emit', {
      poolId,
      events,
      perSecond,
    });
    const [socketio, sse] = await verdicts(events);
    const cpuMsPerEvent = perEvent(cpuBefore, cpuMs(bare.pid), events);
    const rss = await bare.call<{ rssMb: number; peakRssMb: number }>('rss');
    await Promise.all([ioClients.call('close'), sseClients.call('close')]);
    await bare.stop();
    return { socketio, sse, ...rss, idleRssMb: idle.rssMb, perSecond, emittedPerSecond, cpuMsPerEvent };
  };

  try {
    await Promise.all([ioClients.ready, sseClients.ready]);

    // Baseline first, at the asked rate.
    const baseline = await bareRun(options.eventsPerSecond);

    const server = spawnChild('server-process.ts', { profileAs: 'fanout' });
    children.push(server);
    await server.ready;
    const [url, dialect, poolId, token] = await Promise.all([
      server.call<string>('url'),
      server.call<string>('dialect'),
      server.call<string>('activePool'),
      server.call<string>('investor'),
    ]);
    const serverIdle = await server.call<{ rssMb: number }>('rss');
    await ioClients.call('socketio', { url, count: options.sockets, poolId, token });
    const input = encodeURIComponent(JSON.stringify({ poolId }));
    await sseClients.call('sse', {
      url: `${url}/trpc/pools.onEvents?input=${input}`,
      count: options.streams,
      cookie: `tp_access=${token}`,
    });
    await server.call('drain');
    await postEvents(url, poolId, options.warmupEvents, options.eventsPerSecond, IN_FLIGHT);
    await verdicts(options.warmupEvents);
    await server.call('resetPeakRss');
    await server.call('profileStart');
    const cpuBefore = cpuMs(server.pid);
    const { failures, postedPerSecond, poster } = await postEvents(
      url,
      poolId,
      events,
      options.eventsPerSecond,
      IN_FLIGHT,
    );
    const [socketio, sse] = await verdicts(events);
    const serverCpuMsPerEvent = perEvent(cpuBefore, cpuMs(server.pid), events);
    await server.call('profileStop', { name: 'fanout' });
    const rss = await server.call<{ rssMb: number; peakRssMb: number }>('rss');
    await Promise.all([ioClients.call('close'), sseClients.call('close')]);
    await server.stop();

    // Ratios only at equal achieved rates: when the webhook fell short of the bare rate, bare again at ours.
    const comparable = sameRate(postedPerSecond, baseline.emittedPerSecond)
      ? baseline
      : await bareRun(postedPerSecond);
    const complete =
      failures === 0 && socketio.everyEvent === socketio.clients && sse.everyEvent === sse.clients;
    const rateHeld =
      postedPerSecond >= 0.9 * options.eventsPerSecond &&
      baseline.emittedPerSecond >= 0.9 * options.eventsPerSecond;
    const p99Ratio = Math.max(socketio.p99ms, sse.p99ms) / Math.max(1, comparable.socketio.p99ms);
    const rssRatio = rss.peakRssMb / comparable.peakRssMb;
    return {
      name: 'fan-out',
      dialect,
      eventsPerSecond: options.eventsPerSecond,
      events,
      webhookFailures: failures,
      postedPerSecond,
      rateHeld,
      poster,
      socketio,
      sse,
      serverRssMb: rss.rssMb,
      serverPeakRssMb: rss.peakRssMb,
      serverIdleRssMb: serverIdle.rssMb,
      /** Server CPU (user + system) per event, from the first post to the last client's verdict. */
      serverCpuMsPerEvent,
      baseline: {
        what: 'bare socket.io (and bare node:http SSE) broadcasting the same payloads to the same client processes',
        ...baseline,
      },
      ...(comparable === baseline ? {} : { baselineAtPostedRate: comparable }),
      comparedAtPerSecond: { ours: postedPerSecond, bare: comparable.emittedPerSecond },
      p99Ratio: Math.round(p99Ratio * 100) / 100,
      rssRatio: Math.round(rssRatio * 100) / 100,
      target:
        'every client every event in order at the asked rate; p99 ≤ 1.5 × bare socket.io p99 and peak RSS ≤ 1.3 × bare at the same rate',
      met: complete && rateHeld && p99Ratio <= 1.5 && rssRatio <= 1.3,
    };
  } finally {
    for (const child of children.reverse()) {
      await child.stop().catch(() => undefined);
    }
  }
}
