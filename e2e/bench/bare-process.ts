// Baselines, each in this process alone: a bare node:http server that answers 202 once it has read the body (what
// an ingest endpoint cannot beat), and a bare socket.io server (plus bare node:http SSE) that broadcasts the payloads
// Tradepool sends to the same clients (what a fan-out cannot beat).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveCommands } from './child';
import { trackRss } from './rss';

const rss = trackRss();
const streams = new Set<ServerResponse>();
let io: Server | null = null;

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  return new Promise<{ server: typeof server; url: string }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

serveCommands({
  rss: () => rss.read(),
  resetPeakRss: () => rss.reset(),
  /** 202 after the whole body has arrived, like an ingest endpoint that acknowledges what it received. */
  startHttp: async () => {
    const { url } = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"accepted":true}');
      });
    });
    return url;
  },
  /** socket.io on the same port as a bare SSE endpoint at /sse; both broadcast what `emit` sends. */
  startIo: async () => {
    const { server, url } = await listen((req, res) => {
      if (req.url?.startsWith('/sse')) {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        res.write('event: connected\ndata: {}\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
      }
    });
    io = new Server(server);
    io.on('connection', (socket) => {
      socket.on('pool:subscribe', (input: { poolId: string }, ack?: (r: unknown) => void) => {
        void socket.join(`pool:${input.poolId}`);
        ack?.({ ok: true });
      });
    });
    return url;
  },
  /**
   * `events` broadcasts at `perSecond`, each with its sequence number and send time, to the pool's room and streams;
   * the rate achieved (events / time to the last broadcast's slot), as the webhook poster reports its own.
   */
  emit: async (args: { poolId: string; events: number; perSecond: number }) => {
    const started = Date.now();
    for (let seq = 0; seq < args.events; seq++) {
      const event = {
        id: String(seq + 1),
        type: 'pool:update',
        poolId: args.poolId,
        at: new Date().toISOString(),
        data: { message: 'tick', metrics: { seq, sentAt: Date.now() } },
      };
      io?.to(`pool:${args.poolId}`).emit('pool:update', event);
      const frame = `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const res of streams) {
        res.write(frame);
      }
      const wait = started + ((seq + 1) * 1000) / args.perSecond - Date.now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    const elapsed = Math.max(Date.now() - started, (args.events * 1000) / args.perSecond);
    return { emittedPerSecond: Math.round((args.events * 1000) / elapsed) };
  },
});
