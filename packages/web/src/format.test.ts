import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format';
import { formatTime } from './pages/model/range';

describe('times in tables', () => {
  // An afternoon hour in any time zone the tests run in: the local hour is read back below.
  const afternoon = new Date(2026, 11, 3, 15, 7, 9);

  it('read on a 24-hour clock, as the charts do', () => {
    for (const text of [formatDateTime(afternoon.toISOString()), formatTime(afternoon.toISOString())]) {
      expect(text).toContain('15');
      expect(text).toContain('07');
      expect(text).not.toMatch(/\b(AM|PM|am|pm)\b/);
    }
  });

  it('keeps what it cannot read as it came', () => {
    expect(formatDateTime('not a time')).toBe('not a time');
    expect(formatDateTime(null)).toBe('');
  });
});
