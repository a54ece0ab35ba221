import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seedDemoData } from '@tradepool/api/server';
import { createDatabase, redactUrl } from '@tradepool/db';
import { systemClock } from '@tradepool/domain';
import { EnvError, loadEnv } from './env';
import { createLogger } from './logger';
import { startServer } from './server';
import { bootstrapAdmin, buildServices } from './services';
import { startSimulator } from './simulator';

/** The built bundle lives in apps/server/dist; the SPA it serves and the migrations it applies sit beside it. */
function bundled(relative: string): string | null {
  if (!import.meta.url.endsWith('/dist/index.js')) {
    return null;
  }
  const path = fileURLToPath(new URL(relative, import.meta.url));
  return existsSync(path) ? path : null;
}

function packageVersion(): string {
  try {
    // src/index.ts and dist/index.js both sit one level below the package root.
    const url = new URL('../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

async function main() {
  let env: ReturnType<typeof loadEnv>;
  try {
    // Production unless NODE_ENV says otherwise (CONTRACT §8): a forgotten variable must not silently turn off
    // Secure cookies and admin 2FA, or print the webhook secret. `pnpm dev` sets NODE_ENV=development.
    env = loadEnv(undefined, undefined, { defaultNodeEnv: 'production' });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(env);
  const database = await createDatabase(env.databaseUrl, {
    logger: log,
    walCheckpoints: env.sqliteCheckpointer ? 'thread' : 'commit',
  });
  await database.migrate({
    migrationsFolder: bundled(`./migrations/${database.dialect === 'sqlite' ? 'sqlite' : 'pg'}`) ?? undefined,
  });
  log.info(
    { database: redactUrl(env.databaseUrl), dialect: database.dialect },
    'database ready, migrations applied',
  );

  const version = packageVersion();
  const services = buildServices({ env, database, log, clock: systemClock, version });
  // Node's own numbers (memory, event-loop lag, GC) on /metrics: the real process only, not every test server.
  services.metrics.collectProcessMetrics();
  await bootstrapAdmin(env, services);
  if (env.seedDemo) {
    const accounts = await seedDemoData(services);
    log.info(
      `demo accounts (development only):\n${accounts.map((a) => `    ${a.role.padEnd(8)} ${a.email.padEnd(24)} ${a.password}`).join('\n')}`,
    );
  }
  const webDist = env.webDist ?? bundled('../../web/dist');
  const server = await startServer({ env, services, version, webDist });
  if (env.simulator) {
    const simulator = startSimulator(services, { baseUrl: server.url });
    server.onClose(() => simulator.stop());
    log.info('demo trading model (SIMULATOR=on) posting signed webhooks for every ACTIVE pool');
  }
  log.info(
    { url: server.url, spa: webDist ? 'served' : 'not served (Vite dev server)', environment: env.nodeEnv },
    `Tradepool listening on port ${server.port}`,
  );
  if (env.modelWebhookSecretGenerated && !env.isProduction) {
    log.info(`model webhook secret (development, kept in ${env.dataDir}): ${env.modelWebhookSecret}`);
  } else if (env.modelWebhookSecretGenerated) {
    log.warn(
      'MODEL_WEBHOOK_SECRET is not set: the model webhook accepts only stored secrets (a random one on first start); rotate it in the admin webhook page to give the model team a secret',
    );
  }
  if (env.paymentProvider === 'demo' && env.isProduction) {
    log.warn('PAYMENT_PROVIDER=demo in production: deposits and subscriptions are not real payments');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal} received: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Tradepool failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
