import { type Db, newId } from '@tradepool/db';
import type { OutboxMailView } from '@tradepool/domain';
import { desc } from 'drizzle-orm';
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

/** The latest queued and sent messages, newest first (the admin's view of what the platform mailed). */
export async function listOutbox(
  deps: Pick<ServiceDeps, 'database'>,
  limit: number,
): Promise<OutboxMailView[]> {
  const { mailOutbox } = deps.database.schema;
  const rows = await deps.database.db
    .select()
    .from(mailOutbox)
    .orderBy(desc(mailOutbox.createdAt))
    .limit(limit);
  return rows.map((m) => ({
    id: m.id,
    to: m.toAddress,
    subject: m.subject,
    text: m.text,
    kind: m.kind,
    status: m.status,
    error: m.error,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
  }));
}
