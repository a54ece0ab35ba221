import { and, asc, eq, lt } from 'drizzle-orm';
import type { ServiceDeps } from '../context';

export interface MailTransport {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

const MAX_ATTEMPTS = 5;

/**
 * Delivers queued mail. With an SMTP transport each message is sent and marked SENT (or retried, then FAILED);
 * without one it is logged and kept as OUTBOX for admins to read. Safe to run concurrently: a message is claimed
 * with a conditional update before it is sent.
 */
export async function deliverQueuedMail(deps: ServiceDeps, transport: MailTransport | null): Promise<number> {
  const { mailOutbox } = deps.database.schema;
  const queued = await deps.database.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'QUEUED'), lt(mailOutbox.attempts, MAX_ATTEMPTS)))
    .orderBy(asc(mailOutbox.createdAt))
    .limit(50);
  let delivered = 0;
  for (const mail of queued) {
    const claimed = await deps.database.transaction(
      async (tx) =>
        await tx
          .update(mailOutbox)
          .set({ attempts: mail.attempts + 1 })
          .where(
            and(
              eq(mailOutbox.id, mail.id),
              eq(mailOutbox.attempts, mail.attempts),
              eq(mailOutbox.status, 'QUEUED'),
            ),
          )
          .returning({ id: mailOutbox.id }),
    );
    if (claimed.length === 0) {
      continue;
    }
    if (!transport) {
      deps.log.info(
        { to: mail.toAddress, subject: mail.subject, kind: mail.kind },
        `mail (outbox, no SMTP_URL): ${mail.subject}`,
      );
      await deps.database.transaction(
        async (tx) => await tx.update(mailOutbox).set({ status: 'OUTBOX' }).where(eq(mailOutbox.id, mail.id)),
      );
      delivered++;
      continue;
    }
    try {
      await transport.send({ to: mail.toAddress, subject: mail.subject, text: mail.text });
      await deps.database.transaction(
        async (tx) =>
          await tx
            .update(mailOutbox)
            .set({ status: 'SENT', sentAt: deps.clock.now(), error: null })
            .where(eq(mailOutbox.id, mail.id)),
      );
      delivered++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn({ to: mail.toAddress, err: message }, 'mail delivery failed');
      await deps.database.transaction(
        async (tx) =>
          await tx
            .update(mailOutbox)
            .set({
              status: mail.attempts + 1 >= MAX_ATTEMPTS ? 'FAILED' : 'QUEUED',
              error: message.slice(0, 500),
            })
            .where(eq(mailOutbox.id, mail.id)),
      );
    }
  }
  return delivered;
}
