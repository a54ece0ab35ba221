import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centsToDecimal,
  decimalToCents,
  isPlainDecimal,
  multiplyDecimals,
  normalizeDecimal,
} from './decimal';

describe('exact decimals', () => {
  it('accepts plain decimals only', () => {
    for (const ok of ['0', '1', '-1', '45000', '0.1', '45000.12345678']) {
      expect(isPlainDecimal(ok)).toBe(true);
    }
    for (const bad of ['1e2', '01', '.5', '5.', '+1', 'NaN', 'Infinity', '', '1,5', `1${'0'.repeat(40)}`]) {
      expect(isPlainDecimal(bad)).toBe(false);
    }
  });

  it('normalises', () => {
    expect(normalizeDecimal('1.500')).toBe('1.5');
    expect(normalizeDecimal('-0.0')).toBe('0');
    expect(normalizeDecimal('10.0')).toBe('10');
  });

  it('turns dollars into cents exactly, rounding half to even', () => {
    expect(decimalToCents('45000')).toBe(4_500_000);
    expect(decimalToCents('0.1')).toBe(10);
    expect(decimalToCents('1.005')).toBe(100);
    expect(decimalToCents('1.015')).toBe(102);
    expect(decimalToCents('1.0051')).toBe(101);
    expect(decimalToCents('-12.345')).toBe(-1234);
    expect(() => decimalToCents('100000000000000000000')).toThrow(RangeError);
  });

  it('never disagrees with integer arithmetic on whole cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), (cents) => {
        const negative = cents < 0;
        const abs = Math.abs(cents);
        const text = `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
        expect(decimalToCents(text)).toBe(cents);
      }),
    );
  });

  it('multiplies exactly', () => {
    expect(multiplyDecimals('0.1', '0.2')).toBe('0.02');
    expect(multiplyDecimals('45000.5', '-2')).toBe('-90001');
    expect(multiplyDecimals('1.25', '1.25')).toBe('1.5625');
  });
});

describe('centsToDecimal', () => {
  it('writes cents as a plain decimal amount that decimalToCents reads back', () => {
    expect(centsToDecimal(1_050_050)).toBe('10500.50');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(0)).toBe('0.00');
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
      }),
    );
  });
});
