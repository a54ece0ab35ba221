/**
 * `Idempotency-Key` for requests that move money (CONTRACT.md §3): the same key with the same body has one effect,
 * so a double click, or a retry after a lost answer, cannot deposit, invest or withdraw twice.
 *
 * Send one with a call of the vanilla client: `client.wallet.deposit.mutate(input, idempotent(key))`. The tRPC
 * link (lib/trpc.ts) turns the operation's `context.idempotencyKey` into the header.
 */

/** The operation context key the tRPC link reads. */
export const IDEMPOTENCY_CONTEXT_KEY = 'idempotencyKey';

/**
 * A fresh random key. `crypto.getRandomValues` rather than `randomUUID`: the latter only exists in secure contexts,
 * and a server reached over plain HTTP on a LAN address is not one.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Free text (a payout destination, a name) as a part of a key: the header takes visible ASCII only, at most 255
 * characters, and people type spaces, accents and long bank details. FNV-1a, 64 bits in hex: the key only has to
 * change when the text does; the server still compares the whole request body under a key.
 */
export function keyPart(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  }
  return hash.toString(16).padStart(16, '0');
}

/** Per-call tRPC options that send `key` as the `Idempotency-Key` header. */
export function idempotent(key: string): { context: Record<string, unknown> } {
  return { context: { [IDEMPOTENCY_CONTEXT_KEY]: key } };
}

/** The key a call carries, when it carries one (for the link). */
export function idempotencyKeyOf(context: Record<string, unknown>): string | null {
  const key = context[IDEMPOTENCY_CONTEXT_KEY];
  return typeof key === 'string' && key.length > 0 ? key : null;
}
