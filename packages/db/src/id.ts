import { randomUUID } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then 12 bits used as a per-millisecond counter (method 1 of §6.2),
 * then random bits. Ids from one process are strictly increasing, so they sort by creation as text on both dialects;
 * ids from different processes in the same millisecond are ordered arbitrarily but never collide (62 random bits).
 */
export function newId(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    // Start low in the counter space so a burst within one millisecond rarely overflows it.
    sequence = Math.floor(Math.random() * 0x400);
  } else {
    // Same millisecond, or the wall clock went backwards: keep counting from the last instant handed out.
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      ms = lastMs;
      sequence = 0;
    }
  }
  // randomUUID supplies the random bits and the RFC 4122 variant; only time, version and counter are rewritten.
  const random = randomUUID();
  const time = ms.toString(16).padStart(12, '0');
  const counter = sequence.toString(16).padStart(3, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter}${random.slice(18)}`;
}
