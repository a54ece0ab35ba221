import { z } from 'zod';

/**
 * Where a withdrawal is to be paid, as the investor gives it: an IBAN (checked with its mod-97 check digits, so a
 * typo is caught before an admin sends money to it), optionally followed by the account holder, or any other bank
 * reference in free text (an account number and routing code, a PayPal address). Kept as one trimmed line of text:
 * the admin who pays reads it; nothing is paid to it automatically.
 */
export const PAYOUT_DESTINATION_MAX = 200;

/**
 * The IBAN a destination starts with, spaces removed, or null when it does not start like one ("DE89 3704 0044 0532
 * 0130 00, Jane Doe" → "DE89370400440532013000"). A comma, semicolon or slash ends it, and groups are taken while they
 * are digits or capitals, so a holder's name after the IBAN is not read as part of it. A holder written in capitals
 * without a comma ("BE68 5390 0754 7034 JANE DOE") looks like more groups: the longest run of groups that is a valid
 * IBAN is the IBAN; when none is, all the groups are returned, so the check digits are reported wrong.
 */
export function leadingIban(text: string): string | null {
  const [head = ''] = text.trim().split(/[,;/]/);
  const tokens = head.trim().split(/\s+/);
  const first = tokens[0] ?? '';
  if (!/^[A-Za-z]{2}\d{2}[A-Za-z0-9]*$/.test(first)) {
    return null;
  }
  const candidates = [first.toUpperCase()];
  for (const token of tokens.slice(1)) {
    const previous = candidates[candidates.length - 1] ?? '';
    if (!/^[A-Z0-9]+$/.test(token) || previous.length >= 34) {
      break;
    }
    candidates.push(previous + token);
  }
  const valid = candidates.filter((candidate) => isValidIban(candidate));
  return valid[valid.length - 1] ?? candidates[candidates.length - 1] ?? null;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers (A = 10), the result mod 97 is 1. */
export function isValidIban(iban: string): boolean {
  const value = iban.toUpperCase().replace(/\s+/g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(value)) {
    return false;
  }
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) {
      remainder = (remainder * 10 + Number(digit)) % 97;
    }
  }
  return remainder === 1;
}

export const PayoutDestination = z
  .string()
  .trim()
  .min(6, 'must be at least 6 characters: an IBAN or your bank details')
  .max(PAYOUT_DESTINATION_MAX, `must be at most ${PAYOUT_DESTINATION_MAX} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point (one line of text)
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'must be one line of text')
  .refine((text) => {
    const iban = leadingIban(text);
    // Too short to be an IBAN: a free-text reference that happens to start like one ("US12 routing …") is fine.
    return iban === null || iban.length < 15 || isValidIban(iban);
  }, 'looks like an IBAN but its check digits are wrong');
