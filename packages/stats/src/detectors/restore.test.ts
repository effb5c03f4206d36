import { describe, expect, it } from 'vitest';
import { Adwin } from './adwin.js';
import { Cusum } from './cusum.js';
import { Ddm } from './ddm.js';
import { Eddm } from './eddm.js';
import { EwmaChart } from './ewma-chart.js';
import { PageHinkley } from './page-hinkley.js';
import { type DetectorState, restoreDetector } from './restore.js';
import { SeasonalZScore } from './seasonal-zscore.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

describe('restoreDetector', () => {
  it('rebuilds every kind from JSON and continues identically', () => {
    const stream = Array.from({ length: 600 }, (_, i) => (i > 300 ? 1 : 0) * ((i * 7919) % 13 < 6 ? 1 : 0));
    const make: (() => StreamingDetector<DetectorState, DetectorUpdate>)[] = [
      () => new Adwin({ clock: 1 }),
      () => new Cusum({ warmup: 20 }),
      () => new Ddm(),
      () => new Eddm(),
      () => new EwmaChart({ warmup: 20 }),
      () => new PageHinkley({ threshold: 5 }),
      () => new SeasonalZScore({ period: 5 }),
    ];
    for (const create of make) {
      const original = create();
      for (const x of stream.slice(0, 350)) original.update(x);
      const copy = restoreDetector(JSON.parse(JSON.stringify(original.state)) as DetectorState);
      expect(copy.state).toEqual(original.state);
      for (const x of stream.slice(350)) expect(copy.update(x)).toEqual(original.update(x));
      original.reset();
      expect(restoreDetector(original.state).state).toEqual(create().state);
    }
  });

  it('rejects unknown kinds', () => {
    expect(() => restoreDetector({ kind: 'nope' } as unknown as DetectorState)).toThrow(TypeError);
  });
});
