/**
 * Exact decimal handling for values that arrive as text (or as JSON numbers kept as their source text): no float
 * ever touches them. Money becomes integer cents with an explicit rounding rule; prices and quantities stay exact
 * decimal strings.
 */
const PLAIN_DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export const MAX_DECIMAL_DIGITS = 30;

export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text) && text.replace(/[-.]/g, '').length <= MAX_DECIMAL_DIGITS;
}

/** Canonical form: no trailing fractional zeros, no "-0" ("1.500" → "1.5", "-0.0" → "0"). */
export function normalizeDecimal(text: string): string {
  if (!isPlainDecimal(text)) {
    throw new RangeError(`not a plain decimal: ${text}`);
  }
  let [whole = '0', fraction = ''] = text.replace(/^-/, '').split('.');
  fraction = fraction.replace(/0+$/, '');
  const negative = text.startsWith('-') && (/[1-9]/.test(whole) || fraction.length > 0);
  whole = whole.replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Dollars as a decimal string → integer cents, rounding half to even beyond the second decimal (banker's rounding:
 * no drift when many values are rounded). Throws when the result is not a safe integer.
 */
export function decimalToCents(text: string): number {
  const normalized = normalizeDecimal(text);
  const negative = normalized.startsWith('-');
  const [whole = '0', fraction = ''] = normalized.replace(/^-/, '').split('.');
  const padded = fraction.padEnd(2, '0');
  let cents = BigInt(whole) * 100n + BigInt(padded.slice(0, 2));
  const rest = padded.slice(2);
  if (rest.length > 0 && /[1-9]/.test(rest)) {
    const first = Number(rest[0]);
    const beyondHalf = first > 5 || (first === 5 && /[1-9]/.test(rest.slice(1)));
    const exactlyHalf = first === 5 && !/[1-9]/.test(rest.slice(1));
    if (beyondHalf || (exactlyHalf && cents % 2n === 1n)) {
      cents += 1n;
    }
  }
  const signed = negative ? -cents : cents;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount out of range: ${text}`);
  }
  return Number(signed);
}

/** Integer cents as a plain decimal amount ("10500.50", "-0.05"): the inverse of `decimalToCents`. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Decimal string × decimal string, exactly. */
export function multiplyDecimals(a: string, b: string): string {
  const scaleOf = (t: string) => (t.split('.')[1] ?? '').length;
  const digits = (t: string) => BigInt(t.replace('.', ''));
  const scale = scaleOf(normalizeDecimal(a)) + scaleOf(normalizeDecimal(b));
  const product = digits(normalizeDecimal(a)) * digits(normalizeDecimal(b));
  const negative = product < 0n;
  const abs = (negative ? -product : product).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? abs : `${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}`;
  return normalizeDecimal(`${negative ? '-' : ''}${text}`);
}
