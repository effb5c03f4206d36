import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ARROW_CONTENT_TYPE, arrowStream, predictionsAsArrow } from './arrow.js';
import { recordsFromArrow } from './test-support.js';

it('lays prediction records out as one Arrow stream the server reads back as the same records', () => {
  const records = Array.from({ length: 40 }, (_, i) => ({
    id: `p${i}`,
    timestamp: 1767607200000 + i,
    version: 'v2',
    prediction: i % 2 === 0,
    score: i / 40,
    features: { amount: i * 1.5, country: ['DE', 'FR'][i % 2]!, ...(i % 3 === 0 ? { note: 'x' } : {}) },
    segments: { region: 'eu' },
  }));
  const body = predictionsAsArrow(records);
  expect(body?.contentType).toBe(ARROW_CONTENT_TYPE);
  const back = recordsFromArrow(body!.body as Uint8Array);
  expect(back).toEqual(records);
});

it('has no Arrow form for a column that mixes numbers and strings, or for a value that cannot be sent', () => {
  expect(
    predictionsAsArrow([
      { features: {}, prediction: 1 },
      { features: {}, prediction: 'yes' },
    ]),
  ).toBeNull();
  expect(predictionsAsArrow([{ prediction: 1, features: { big: 1n as unknown as number } }])).toBeNull();
});

it('encodes every column exactly, or not at all when its kinds are mixed (property)', () => {
  const cell = fc.oneof(
    fc.constant(null),
    fc.double({ noNaN: false }),
    fc.constantFrom('a', 'b', 'é', ''),
    fc.string(),
    fc.boolean(),
  );
  const ofKind = (value: fc.Arbitrary<string | number | boolean>) =>
    fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: value }), {
      minLength: 1,
      maxLength: 60,
    });
  const columnArb = fc.oneof(
    ofKind(fc.double()),
    ofKind(fc.constantFrom('DE', 'FR', 'US')),
    ofKind(fc.string()),
    ofKind(fc.boolean()),
    fc.array(cell, { minLength: 1, maxLength: 60 }),
  );
  fc.assert(
    fc.property(fc.array(columnArb, { minLength: 1, maxLength: 4 }), fc.nat(), (columns, cut) => {
      const length = Math.min(...columns.map((c) => c.length));
      const start = cut % length;
      const named = columns.map((values, i): [string, typeof values] => [`c${i}`, values.slice(0, length)]);
      const stream = arrowStream(named, start, length);
      const kinds = named.map(
        ([, values]) =>
          new Set(
            values
              .slice(start)
              .filter((v) => v !== null)
              .map((v) => typeof v),
          ),
      );
      if (kinds.some((k) => k.size > 1)) {
        expect(stream).toBeNull();
        return;
      }
      const table = tableFromIPC(stream!);
      expect(table.numRows).toBe(length - start);
      named.forEach(([name, values], i) => {
        const expected = values.slice(start);
        const read = table.getChild(name);
        if (kinds[i]!.size === 0) {
          expect(read).toBeNull();
          return;
        }
        expect(Array.from({ length: expected.length }, (_, r) => read!.get(r))).toEqual(expected);
      });
    }),
  );
});
