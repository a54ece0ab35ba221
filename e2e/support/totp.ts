import { Secret, TOTP } from 'otpauth';

const PERIOD_SEC = 30;

/** The last time step a code was made for, per secret: the server accepts each step once. */
const lastStep = new Map<string, number>();

function stepAt(timestamp: number): number {
  return Math.floor(timestamp / 1000 / PERIOD_SEC);
}

/**
 * A code the server will accept now: the current step's, or, when that step was already used for this secret, the
 * next step's (the server allows one step of drift either way). Never the same step twice.
 */
export function totpCode(secret: string): string {
  const now = Date.now();
  const used = lastStep.get(secret);
  const timestamp = used !== undefined && stepAt(now) <= used ? (used + 1) * PERIOD_SEC * 1000 : now;
  const step = stepAt(timestamp);
  if (step > stepAt(now) + 1) {
    throw new Error('No fresh TOTP step left within the allowed drift: wait 30 seconds');
  }
  lastStep.set(secret, step);
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp });
}

/** The secret as shown on the enrolment page (grouped in fours) as base32 again. */
export function secretFromDisplay(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}
