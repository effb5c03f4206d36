import { describe, expect, it } from 'vitest';
import { chooseStep, parseSegment, resolveRange } from './resolution.js';

const S = 1_000_000;

describe('chart resolution', () => {
  it('picks the smallest round step that keeps buckets within the requested points', () => {
    expect(chooseStep(3600 * S, 60)).toBe(60 * S);
    expect(chooseStep(3600 * S, 61)).toBe(60 * S);
    expect(chooseStep(3600 * S, 59)).toBe(120 * S);
    expect(chooseStep(7 * 86_400 * S, 300)).toBe(3600 * S);
    expect(chooseStep(10 * 365 * 86_400 * S, 100)).toBe(6 * 604_800 * S);
    expect(chooseStep(10 * S, 300, 300)).toBe(300 * S);
  });

  it('aligns the range to whole steps and never returns more buckets than points', () => {
    const from = Date.UTC(2026, 0, 5, 10, 17) * 1000;
    const range = resolveRange({ fromMicros: from, toMicros: from + 86_400 * S, points: 100, nowMicros: 0 });
    expect(range.stepMicros).toBe(900 * S);
    expect(range.fromMicros % range.stepMicros).toBe(0);
    expect(range.fromMicros).toBeLessThanOrEqual(from);
    expect((range.toMicros - range.fromMicros) / range.stepMicros).toBeLessThanOrEqual(101);
    expect(() => resolveRange({ fromMicros: 5, toMicros: 5, points: 10, nowMicros: 0 })).toThrow(
      /"from" must be before "to"/,
    );
  });

  it('reads segment filters as name=value', () => {
    expect(parseSegment('region=eu=west')).toEqual({ name: 'region', value: 'eu=west' });
    expect(parseSegment(undefined)).toBeUndefined();
    expect(() => parseSegment('region')).toThrow(/name=value/);
  });
});
