import { describe, expect, it } from 'vitest';
import { ModelSchema } from '../domain/index.js';
import { BadRequestError } from '../errors.js';
import type { ModelColumn } from '../storage/types.js';
import { checkPredictionColumns, layOutColumns, missingColumnsOf, parseColumnarBody } from './columns.js';
import { checkPredictions, missingColumns, toEventRecords } from './normalize.js';

const NOW = Date.UTC(2026, 0, 5) * 1000;
const body = (value: unknown) => Buffer.from(JSON.stringify(value));

function structuralError(value: unknown): string {
  try {
    parseColumnarBody(typeof value === 'string' ? Buffer.from(value) : body(value));
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a 400');
}

describe('parseColumnarBody', () => {
  it('reads arrays of `length` values and scalars shared by every row', () => {
    const parsed = parseColumnarBody(
      body({
        length: 2,
        id: ['a', 'b'],
        version: 'v1',
        prediction: [1, 0],
        features: { x: [1, null], c: 'k' },
      }),
    );
    expect(parsed.length).toBe(2);
    expect(parsed.id).toEqual({ rows: ['a', 'b'] });
    expect(parsed.version).toEqual({ rows: null, all: 'v1' });
    expect(parsed.features.map(([name]) => name)).toEqual(['x', 'c']);
    expect(parsed.scores).toEqual([]);
  });

  it('answers structural problems with a 400 that names the field and both lengths', () => {
    expect(structuralError('{"length": 2, ')).toMatch(/not valid JSON/);
    expect(structuralError([{ prediction: 1 }])).toMatch(/one JSON object/);
    expect(structuralError({ prediction: [1] })).toMatch(/"length" must be the number of rows.*got nothing/);
    expect(structuralError({ length: -1, prediction: [] })).toMatch(/"length".*got -1/);
    expect(structuralError({ length: 1.5, prediction: [] })).toMatch(/"length".*got 1.5/);
    expect(structuralError({ length: '2', prediction: [] })).toMatch(/"length".*got "2"/);
    expect(structuralError({ length: 2, prediction: [1, 0, 1] })).toBe(
      'Column "prediction" has 3 values, but "length" is 2; give one value per row (null where absent) or one scalar for every row.',
    );
    expect(structuralError({ length: 2, prediction: 1, features: { amount: [1] } })).toMatch(
      /^Column "features.amount" has 1 values, but "length" is 2/,
    );
    expect(structuralError({ length: 1, prediction: 1, features: [[1]] })).toMatch(
      /"features" must be an object/,
    );
    expect(structuralError({ length: 1, prediction: 1, feature: { a: [1] } })).toMatch(
      /Unknown field "feature"/,
    );
  });

  it('bounds what a small body can make the server allocate', () => {
    // Scalars stand for every row, so a few bytes could otherwise claim millions of cells.
    expect(structuralError({ length: 200_001, prediction: 1 })).toMatch(
      /"length".*from 0 to 200000.*got 200001/,
    );
    const features = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, 1]));
    expect(structuralError({ length: 200_000, prediction: 1, features })).toBe(
      'The batch has 200000 rows of 206 columns, over 20000000 cells; send it in smaller batches.',
    );
  });
});

/** Records as NDJSON would carry them, and the same rows by column (absent = null). */
function byColumn(records: Record<string, unknown>[]) {
  const out: Record<string, unknown> = { length: records.length };
  for (const field of ['id', 'timestamp', 'version', 'prediction', 'score', 'label']) {
    out[field] = records.map((r) => r[field] ?? null);
  }
  for (const field of ['scores', 'features', 'segments']) {
    const names = [...new Set(records.flatMap((r) => Object.keys((r[field] as object) ?? {})))];
    out[field] = Object.fromEntries(
      names.map((name) => [
        name,
        records.map((r) => (r[field] as Record<string, unknown> | undefined)?.[name] ?? null),
      ]),
    );
  }
  return body(out);
}

describe('columnar checks and layout match the record path', () => {
  const schema = ModelSchema.parse({
    features: [
      { name: 'amount', type: 'numeric' },
      { name: 'country', type: 'categorical', categories: ['DE', 'FR'] },
      { name: 'is_new', type: 'boolean' },
      { name: 'seen_at', type: 'timestamp' },
    ],
    segments: ['region'],
  });
  const records: Record<string, unknown>[] = [
    {
      id: 'a',
      timestamp: 1767607200000,
      version: 'v1',
      prediction: 1,
      score: 0.9,
      scores: { yes: 0.9, no: 'x' },
      features: { amount: 12.5, country: 'DE', is_new: 'yes', seen_at: '2026-01-01T00:00:00Z' },
      segments: { region: 'eu' },
    },
    { id: 'b', prediction: 'maybe', label: true, features: { amount: 'lots', country: 'XX', browser: 'ff' } },
    { id: 'c', features: { amount: 1 } },
    { id: 'd', timestamp: 'last tuesday', prediction: 0 },
    { id: 'a', prediction: 0, features: { amount: 99 } },
    { id: 7, prediction: 1, score: '0.25', features: { amount: '3.5', is_new: 2 }, segments: { shop: [1] } },
    { id: { x: 1 }, prediction: 1 },
    { prediction: 1, label: { no: 1 } },
  ];

  for (const withSchema of [true, false]) {
    it(`gives the same rejections, columns, values and violations (${withSchema ? 'declared' : 'no'} schema)`, () => {
      const context = {
        task: 'binary_classification' as const,
        schema: withSchema ? schema : null,
        nowMicros: NOW,
        classes: null,
      };
      const rows = checkPredictions(records, context);
      const first = checkPredictionColumns(parseColumnarBody(byColumn(records)), context);
      expect(first.rejected).toEqual(rows.rejected);
      expect(first.accepted).toBe(rows.pending.length);
      const unique = rows.pending.filter(
        (p, i) => rows.pending.findIndex((q) => q.event.id === p.event.id) === i,
      );
      const existing: ModelColumn[] = [
        { name: 'amount', role: 'feature', type: 'numeric', position: 0, declared: true },
      ];
      const added = missingColumns(unique, existing, context.schema);
      expect(missingColumnsOf(first, existing, context.schema)).toEqual(added);
      const columns = [...existing, ...added.map((c, i) => ({ ...c, position: i + 1 }))];
      const events = toEventRecords(unique, columns, context.schema);
      const batch = layOutColumns(first, columns, context.schema);
      expect(batch.length).toBe(events.length);
      // Only stored rows carry a timestamp: the monitors mark the windows of each one.
      expect(batch.timestampMicros.length).toBe(events.length);
      events.forEach((event, k) => {
        expect(batch.id[k]).toBe(event.id);
        expect(batch.timestampMicros[k]).toBe(event.timestampMicros);
        expect(batch.version[k]).toBe(event.version);
        expect(batch.prediction[k]).toBe(event.prediction);
        expect(batch.predictionNumber.valid[k] ? batch.predictionNumber.values[k] : null).toBe(
          event.predictionNumber,
        );
        expect(batch.score.valid[k] ? batch.score.values[k] : null).toBe(event.score);
        expect(batch.scores[k]).toEqual(event.scores);
        expect(batch.label[k]).toBe(event.label);
        expect(batch.labelNumber.valid[k] ? batch.labelNumber.values[k] : null).toBe(event.labelNumber);
        expect(batch.invalid[k]).toEqual(event.invalid);
        expect(batch.violations[k] ?? []).toEqual(event.violations);
        const values = batch.values.map((column) => {
          if (column === null) return null;
          if (column.kind === 'number') return column.valid[k] ? column.values[k] : null;
          if (column.kind === 'codes')
            return column.valid?.[k] === 0 ? null : column.names[column.indices[k]!];
          return column.values[k];
        });
        expect(values).toEqual(event.values);
      });
    });
  }

  it('keeps the first row of a repeated id and counts every accepted row', () => {
    const context = { task: 'regression' as const, schema: null, nowMicros: NOW, classes: null };
    const first = checkPredictionColumns(
      parseColumnarBody(body({ length: 3, id: 'same', prediction: [1, 2, 'x'], features: { f: [1, 2, 3] } })),
      context,
    );
    expect(first.accepted).toBe(2);
    expect(first.rejected).toEqual([
      { index: 2, id: 'same', error: 'prediction: a regression model needs a number, got the string "x"' },
    ]);
    expect([...first.rows]).toEqual([0]);
    expect(first.events.prediction).toEqual(['1']);
  });
});
