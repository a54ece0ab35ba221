import { Cron } from 'croner';
import type { ServiceDeps } from '../context';
import { runDailyJobs } from './daily';
import { deliverQueuedMail, type MailTransport } from './mail';

export interface BackgroundJobs {
  /** Delivers queued mail now (also runs on its interval). */
  flushMail(): Promise<number>;
  stop(): void;
}

/**
 * The recurring jobs besides pool transitions: the daily subscription jobs (hourly, since each is idempotent and a
 * missed hour only delays them) and mail delivery every few seconds. A failing run is logged and the next one runs.
 */
export function startBackgroundJobs(
  deps: ServiceDeps,
  options: { mail: MailTransport | null; mailIntervalMs?: number; dailyPattern?: string },
): BackgroundJobs {
  let sending: Promise<number> | null = null;
  const flushMail = () => {
    sending ??= deliverQueuedMail(deps, options.mail)
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'mail job failed');
        return 0;
      })
      .finally(() => {
        sending = null;
      });
    return sending;
  };
  const daily = new Cron(
    options.dailyPattern ?? '0 * * * *',
    { protect: true, name: 'daily-jobs' },
    async () => {
      try {
        const result = await runDailyJobs(deps);
        deps.log.info(result, 'daily jobs done');
      } catch (error) {
        deps.log.error({ err: error }, 'daily jobs failed; the next run will retry');
      }
    },
  );
  const mailTimer = setInterval(() => void flushMail(), options.mailIntervalMs ?? 5_000);
  mailTimer.unref();
  void daily.trigger();
  return {
    flushMail,
    stop: () => {
      daily.stop();
      clearInterval(mailTimer);
    },
  };
}
