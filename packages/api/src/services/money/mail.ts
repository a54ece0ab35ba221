import { type Db, newId } from '@tradepool/db';
import type { ServiceDeps } from '../../context';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  kind: string;
  /** Set for "once per period" mail: a second message with the same key is silently skipped. */
  dedupeKey?: string;
}

/**
 * Queues a message in the caller's transaction (the outbox pattern): it is sent only if the change that caused it
 * commits, and a crash between commit and sending loses nothing; the mail job delivers it afterwards.
 */
export async function queueMail(
  deps: Pick<ServiceDeps, 'database' | 'clock'>,
  tx: Db,
  mail: OutgoingMail,
): Promise<boolean> {
  const { mailOutbox } = deps.database.schema;
  const inserted = await tx
    .insert(mailOutbox)
    .values({
      id: newId(),
      toAddress: mail.to,
      subject: mail.subject,
      text: mail.text,
      kind: mail.kind,
      dedupeKey: mail.dedupeKey ?? null,
      status: 'QUEUED',
      createdAt: deps.clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: mailOutbox.id });
  return inserted.length > 0;
}

export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}
