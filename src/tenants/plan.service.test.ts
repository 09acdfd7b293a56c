import { describe, expect, it } from 'vitest';
import { utcDay } from '../quotas/usage-recorder';
import { MAX_USAGE_DAYS, usageSpan } from './plan.service';

describe('usageSpan', () => {
  it('gives the UTC days of a span, both ends included', () => {
    expect(usageSpan(new Date('2030-01-01T00:00:00Z'), new Date('2030-01-31T00:00:00Z'))).toEqual({
      from: '2030-01-01',
      to: '2030-01-31',
    });
    expect(usageSpan(new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'))).toEqual({
      from: '2030-01-01',
      to: '2030-01-01',
    });
  });

  it('refuses a reversed span and one longer than a year with BAD_USER_INPUT', () => {
    expect(() => usageSpan(new Date('2030-01-02Z'), new Date('2030-01-01Z'))).toThrow(/must not be after/);
    const start = new Date('2030-01-01Z');
    const lastAllowed = new Date(start.getTime() + (MAX_USAGE_DAYS - 1) * 86_400_000);
    expect(() => usageSpan(start, lastAllowed)).not.toThrow();
    expect(() => usageSpan(start, new Date(lastAllowed.getTime() + 86_400_000))).toThrow(/At most/);
  });
});

describe('utcDay', () => {
  it('is the UTC calendar day, whatever the local time zone', () => {
    expect(utcDay(Date.parse('2030-03-01T23:59:59.999Z'))).toBe('2030-03-01');
    expect(utcDay(Date.parse('2030-03-02T00:00:00Z'))).toBe('2030-03-02');
  });
});
