import { describe, expect, it } from 'vitest';
import { isValidIban, leadingIban, PayoutDestination } from './payout';

describe('payout destination', () => {
  it('checks IBAN check digits', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('not an iban')).toBe(false);
  });

  it('reads the IBAN a destination starts with, not the holder after it', () => {
    expect(leadingIban('DE89 3704 0044 0532 0130 00, Jane Doe')).toBe('DE89370400440532013000');
    expect(leadingIban('DE89 3704 0044 0532 0130 00 Jane Doe')).toBe('DE89370400440532013000');
    expect(leadingIban('Chase, account 123456789')).toBeNull();
  });

  it('does not read a holder written in capitals as part of the IBAN', () => {
    // A comma ends the IBAN; without one, the holder's capitals are left off when the IBAN before them is valid.
    expect(leadingIban('DE89 3704 0044 0532 0130 00, E2E Investor')).toBe('DE89370400440532013000');
    expect(leadingIban('DE89 3704 0044 0532 0130 00, JANE DOE')).toBe('DE89370400440532013000');
    expect(leadingIban('BE68 5390 0754 7034 JANE DOE')).toBe('BE68539007547034');
    expect(PayoutDestination.parse('DE89 3704 0044 0532 0130 00, E2E Investor')).toBe(
      'DE89 3704 0044 0532 0130 00, E2E Investor',
    );
    expect(PayoutDestination.parse('BE68 5390 0754 7034 JANE DOE')).toBe('BE68 5390 0754 7034 JANE DOE');
    // A mistyped IBAN is still refused, whatever follows it.
    expect(PayoutDestination.safeParse('BE68 5390 0754 7035 JANE DOE').success).toBe(false);
    expect(PayoutDestination.safeParse('DE89 3704 0044 0532 0130 01, E2E Investor').success).toBe(false);
  });

  it('accepts an IBAN with a holder, or free-text bank details, trimmed', () => {
    expect(PayoutDestination.parse('  DE89 3704 0044 0532 0130 00, Jane Doe ')).toBe(
      'DE89 3704 0044 0532 0130 00, Jane Doe',
    );
    expect(PayoutDestination.parse('Chase, routing 021000021, account 123456789, Jane Doe')).toBe(
      'Chase, routing 021000021, account 123456789, Jane Doe',
    );
  });

  it('refuses a mistyped IBAN, too little, too much, and several lines, saying why', () => {
    const message = (value: string) => PayoutDestination.safeParse(value).error?.issues[0]?.message;
    expect(message('DE89 3704 0044 0532 0130 01, Jane Doe')).toBe(
      'looks like an IBAN but its check digits are wrong',
    );
    expect(message('abc')).toMatch(/at least 6/);
    expect(message('x'.repeat(201))).toMatch(/at most 200/);
    expect(message('line one\nline two')).toBe('must be one line of text');
  });
});
