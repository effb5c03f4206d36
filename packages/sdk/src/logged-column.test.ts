import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { arrowStream } from './arrow.js';
import { PredictionColumns } from './columns.js';
import type { PredictionInput } from './serialize.js';

/** Every column of an Arrow stream as plain values, by name. */
function read(stream: Uint8Array): Record<string, unknown[]> {
  const table = tableFromIPC(stream);
  const out: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    out[field.name] = Array.from({ length: table.numRows }, (_, row) => column.get(row));
  }
  return out;
}

it('sends the values logged into typed columns as the plain values would be sent (property)', () => {
  const value = fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.double(),
    fc.constantFrom('DE', 'FR', 'US', 'é'),
    fc.string(),
    fc.boolean(),
  );
  // Mostly one kind per feature, as real records are; sometimes any value, to mix kinds.
  const feature = (kind: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 6, arbitrary: kind }, { weight: 1, arbitrary: value });
  const record = fc.record(
    {
      id: fc.oneof(fc.uuid(), fc.constantFrom('a', 'b')),
      prediction: fc.oneof(fc.integer({ min: 0, max: 1 }), fc.constantFrom('yes', 'no')),
      score: fc.option(fc.double({ min: 0, max: 1 })),
      version: fc.constantFrom('v1', 'v2'),
      features: fc.record(
        {
          amount: feature(fc.double()),
          country: feature(fc.constantFrom('DE', 'FR', 'US')),
          note: feature(fc.string()),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['prediction'] },
  );
  fc.assert(
    fc.property(
      fc.array(record, { minLength: 1, maxLength: 300 }),
      fc.array(fc.nat(), { maxLength: 5 }),
      fc.nat(),
      (records, takeBack, cut) => {
        const columns = new PredictionColumns();
        const kept: typeof records = [];
        records.forEach((r, i) => {
          columns.add({ ...r, timestamp: 1767607200000 + i } as PredictionInput, r.id);
          kept.push(r);
          // A record taken back (sent in the next batch instead) leaves nothing behind.
          if (takeBack.includes(i) && columns.length > 1) {
            columns.removeLast();
            kept.pop();
          }
        });
        const logged = new Map(columns.flatColumns());
        expect(logged.get('id')).toEqual(kept.map((r) => r.id ?? null));
        expect(logged.get('score')).toEqual(kept.map((r) => r.score ?? null));
        for (const name of ['amount', 'country', 'note'] as const) {
          const expected = kept.map((r) => r.features?.[name] ?? null);
          if (expected.some((v) => v !== null)) expect(logged.get(`features.${name}`)).toEqual(expected);
        }
        const start = cut % columns.length;
        const typed = columns.arrowStream(start, columns.length);
        const plain = arrowStream(columns.flatColumns(), start, columns.length);
        expect(typed === null).toBe(plain === null);
        if (typed !== null && plain !== null) expect(read(typed)).toEqual(read(plain));
        // The logged values themselves, as columnar JSON sends them.
        const body = JSON.parse(columns.body()) as { length: number; features?: Record<string, unknown[]> };
        expect(body.length).toBe(columns.length);
      },
    ),
  );
});

it('keeps numbers unboxed and strings as a dictionary, and sends each as Arrow expects', () => {
  const columns = new PredictionColumns();
  for (let i = 0; i < 200; i++) {
    columns.add(
      {
        prediction: i % 2,
        // An absent value (undefined) is sent as null, as JSON would leave it out.
        features: {
          amount: i === 7 ? null : i / 4,
          country: i === 9 ? undefined : ['DE', 'FR'][i % 2]!,
        } as PredictionInput['features'],
      },
      `r${i}`,
    );
  }
  const table = tableFromIPC(columns.arrowStream()!);
  expect(table.getChild('features.amount')!.get(7)).toBeNull();
  expect(table.getChild('features.amount')!.get(8)).toBe(2);
  expect(table.getChild('features.country')!.type.toString()).toContain('Dictionary');
  expect(table.getChild('features.country')!.get(9)).toBeNull();
  expect(table.getChild('features.country')!.get(10)).toBe('DE');
  expect(table.getChild('id')!.get(150)).toBe('r150');
});
