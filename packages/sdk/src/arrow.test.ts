import { expect, it } from 'vitest';
import { ARROW_CONTENT_TYPE, predictionsAsArrow } from './arrow.js';
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
