import { describe, expect, it } from 'vitest';
import { isoString } from './pool-view';

describe('isoString', () => {
  it('gives exactly what toISOString gives, remembered or not, past the memo limit too', () => {
    const start = Date.UTC(2026, 10, 28, 12, 0, 0, 123);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 12_000; i++) {
        const date = new Date(start + i * 61_001);
        expect(isoString(date)).toBe(date.toISOString());
      }
    }
    for (const date of [new Date(0), new Date(-1), new Date(Date.UTC(10_000, 0, 1)), new Date(8.64e15)]) {
      expect(isoString(date)).toBe(date.toISOString());
    }
  });

  it('refuses a date that cannot be formatted, as toISOString does', () => {
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
  });
});
