import {
  Bool,
  type Data,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
} from 'apache-arrow';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { column, ipcStream, strings } from './arrow.js';
import { writeIpcStream } from './ipc-writer.js';

/** The stream as apache-arrow's own writer makes it. */
function reference(fields: Field[], children: Data[], length: number): Uint8Array {
  const batch = new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length, nullCount: 0, children }),
  );
  return tableToIPC(new Table([batch]), 'stream');
}

function named(children: Data[]): Field[] {
  return children.map((data, i) => new Field(`c${i}`, data.type, data.nullCount > 0));
}

it('writes the bytes tableToIPC writes, for every column kind the SDK sends (property)', () => {
  const ofKind = (value: fc.Arbitrary<string | number | boolean>) =>
    fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: value }), {
      minLength: 1,
      maxLength: 70,
    });
  const columnArb = fc.oneof(
    ofKind(fc.double()),
    ofKind(fc.constantFrom('DE', 'FR', 'US', 'é', '')),
    ofKind(fc.string({ unit: 'grapheme' })),
    ofKind(fc.boolean()),
  );
  fc.assert(
    fc.property(fc.array(columnArb, { minLength: 1, maxLength: 5 }), fc.nat(), (columns, cut) => {
      const length = Math.min(...columns.map((c) => c.length));
      const start = cut % length;
      const children = columns
        .map((values) => column(values.slice(0, length), start, length))
        .filter((data): data is Data => data !== null && data !== undefined);
      const fields = named(children);
      expect(writeIpcStream(fields, children, length - start)).toEqual(
        reference(fields, children, length - start),
      );
    }),
  );
});

it('writes ids, dictionaries, constants and an empty batch as tableToIPC does', () => {
  const n = 5000;
  const ids = Array.from({ length: n }, (_, i) => `rec-${i}`);
  const categories = Array.from({ length: n }, (_, i) => ['alpha', 'beta', null, 'gamma'][i % 4]!);
  const children = [
    strings(ids, 0, n, true)!,
    strings(categories, 0, n)!,
    makeData({ type: new Float64(), length: n, nullCount: 0, data: new Float64Array(n).fill(1.5) }),
    makeData({
      type: new Int32(),
      length: n,
      nullCount: 0,
      data: Int32Array.from({ length: n }, (_, i) => i),
    }),
    makeData({
      type: new Bool(),
      length: n,
      nullCount: 0,
      data: new Uint8Array(((n + 63) >> 6) << 3).fill(5),
    }),
  ];
  const fields = named(children);
  // Compared as buffers: toEqual walks a megabyte element by element.
  expect(Buffer.compare(writeIpcStream(fields, children, n)!, reference(fields, children, n))).toBe(0);
  expect(writeIpcStream([], [], 0)).toEqual(reference([], [], 0));
});

it('leaves sliced data and boolean columns without a value to tableToIPC', () => {
  const data = makeData({ type: new Float64(), length: 4, nullCount: 0, data: Float64Array.of(1, 2, 3, 4) });
  const slice = data.slice(1, 2);
  expect(writeIpcStream(named([slice]), [slice], 2)).toBeNull();
  const none = makeData({
    type: new Bool(),
    length: 3,
    nullCount: 3,
    nullBitmap: new Uint8Array(8),
    data: new Uint8Array(8).fill(255),
  });
  expect(writeIpcStream(named([none]), [none], 3)).toBeNull();
  expect(ipcStream(named([none]), [none], 3)).toEqual(reference(named([none]), [none], 3));
});
