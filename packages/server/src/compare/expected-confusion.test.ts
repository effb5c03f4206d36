import { describe, expect, it } from 'vitest';
import { expectedConfusion } from './expected-confusion.js';

describe('expectedConfusion', () => {
  it('weighs each bin by its calibrated probability, per window and side', () => {
    const identity = Array.from({ length: 1000 }, (_, b) => (b + 0.5) / 1000);
    const rows = expectedConfusion(
      [
        // A predicts positive 3 times and negative twice at score 0.5; B once without a prediction.
        { windowStartMicros: null, side: 'a', prediction: '0', bins: [500], counts: [2] },
        { windowStartMicros: null, side: 'a', prediction: '1', bins: [500], counts: [3] },
        { windowStartMicros: null, side: 'b', prediction: null, bins: [0, 999], counts: [1, 1] },
      ],
      '1',
      { a: identity, b: identity },
    );
    const closeTo = (n: number) => expect.closeTo(n, 12);
    expect(rows).toEqual([
      {
        windowStartMicros: null,
        side: 'a',
        scored: 5,
        tp: closeTo(3 * 0.5005),
        fp: closeTo(3 * 0.4995),
        fn: closeTo(2 * 0.5005),
        tn: closeTo(2 * 0.4995),
      },
      { windowStartMicros: null, side: 'b', scored: 2, tp: 0, fp: 0, fn: closeTo(1), tn: closeTo(1) },
    ]);
  });
});
