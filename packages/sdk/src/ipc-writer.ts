/**
 * One Arrow IPC stream (a schema, a dictionary batch per dictionary column, one record batch,
 * the end-of-stream marker) written straight into a single buffer: the same bytes as
 * `apache-arrow`'s `tableToIPC(table, 'stream')` for the column types the SDK sends (float64,
 * utf8, bool, utf8 dictionaries with int32 indices), with apache-arrow encoding the small
 * flatbuffer headers. The writer of `tableToIPC` wraps each message and buffer in objects of its
 * own and then joins them into one body, a second copy of every column; here each column's
 * bytes are copied once, into their place.
 */
import { type Data, DataType, type Field, Float64, makeData, Schema } from 'apache-arrow';
import {
  BufferRegion,
  DictionaryBatch,
  FieldNode,
  Message,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';

/**
 * A float64 column whose values are written into the stream from where they are held (an
 * array of numbers on V8's heap, or a typed array), without an Arrow buffer of their own first.
 */
export class Doubles {
  readonly type = new Float64();

  constructor(
    /** Values `start..start + length` are the column's; 0 (any number) where null. */
    readonly values: ArrayLike<number>,
    readonly start: number,
    readonly length: number,
    readonly nullCount: number,
    /** Bit set = value present, padded to 8 bytes; null when no value is null. */
    readonly nullBitmap: Uint8Array | null,
  ) {}

  /** The same column as apache-arrow data. */
  data(): Data<Float64> {
    const values = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) values[i] = this.values[this.start + i]!;
    return makeData({
      type: this.type,
      length: this.length,
      nullCount: this.nullCount,
      nullBitmap: this.nullBitmap,
      data: values,
    });
  }
}

/** A column of a stream: apache-arrow data, or doubles written from where they are. */
export type IpcColumn = Data | Doubles;

/** The bytes of one message body: buffers in order, each padded to 8 bytes. */
class Body {
  readonly nodes: FieldNode[] = [];
  readonly regions: BufferRegion[] = [];
  readonly buffers: (ArrayBufferView | Doubles)[] = [];
  length = 0;

  add(buffer: ArrayBufferView | Doubles): void {
    const size = buffer instanceof Doubles ? buffer.length * 8 : buffer.byteLength;
    const padded = (size + 7) & ~7;
    this.buffers.push(buffer);
    this.regions.push(new BufferRegion(this.length, padded));
    this.length += padded;
  }

  /** Adds one column's node and buffers; false for a type this writer does not lay out. */
  column(data: IpcColumn): boolean {
    const { length, nullCount } = data;
    if (data instanceof Doubles) {
      this.nodes.push(new FieldNode(length, nullCount));
      this.add(nullCount <= 0 ? EMPTY : data.nullBitmap!);
      this.add(data);
      return true;
    }
    if (data.offset !== 0) return false;
    const { type } = data;
    this.nodes.push(new FieldNode(length, nullCount));
    // The validity bitmap, or an empty placeholder when no value is null.
    this.add(nullCount <= 0 ? EMPTY : (data.nullBitmap as Uint8Array));
    if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDictionary(type)) {
      const values = data.values as ArrayBufferView & { BYTES_PER_ELEMENT: number };
      this.add(bytesOf(values, 0, length * values.BYTES_PER_ELEMENT));
      return true;
    }
    if (DataType.isUtf8(type)) {
      const offsets = data.valueOffsets as Int32Array;
      if (offsets[0] !== 0) return false;
      this.add(offsets.subarray(0, length + 1));
      this.add(bytesOf(data.values as Uint8Array, 0, Math.min(offsets[length]!, data.values.byteLength)));
      return true;
    }
    // apache-arrow writes zeros for a boolean column with no value; it takes that case.
    if (DataType.isBool(type) && nullCount < length) {
      this.add(data.values as Uint8Array);
      return true;
    }
    return false;
  }
}

const EMPTY = new Uint8Array(0);

function bytesOf(view: ArrayBufferView, start: number, end: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + start, end - start);
}

/**
 * Named Arrow columns of `length` rows as one IPC stream, or null when a column's type or
 * layout is not one this writer lays out (then `tableToIPC` does).
 */
export function writeIpcStream(
  fields: readonly Field[],
  children: readonly IpcColumn[],
  length: number,
): Uint8Array | null {
  const dictionaries: [number, Body][] = [];
  const batch = new Body();
  for (const data of children) {
    if (!(data instanceof Doubles) && DataType.isDictionary(data.type)) {
      const dictionary = data.dictionary;
      if (dictionary === undefined || dictionary.data.length !== 1 || !DataType.isUtf8(dictionary.type))
        return null;
      const body = new Body();
      if (!body.column(dictionary.data[0]!)) return null;
      dictionaries.push([data.type.id, body]);
    }
    if (!batch.column(data)) return null;
  }
  const headers: Uint8Array[] = [Message.encode(Message.from(new Schema([...fields])))];
  for (const [id, body] of dictionaries) {
    const records = new RecordBatchHeader(body.nodes[0]!.length, body.nodes, body.regions, null);
    headers.push(Message.encode(Message.from(new DictionaryBatch(records, id, false), body.length)));
  }
  headers.push(
    Message.encode(
      Message.from(new RecordBatchHeader(length, batch.nodes, batch.regions, null), batch.length),
    ),
  );
  let size = 8; // the end-of-stream marker
  for (const header of headers) size += 8 + ((header.byteLength + 7) & ~7);
  for (const [, body] of dictionaries) size += body.length;
  size += batch.length;
  const out = new Uint8Array(size);
  const words = new DataView(out.buffer);
  let at = 0;
  // Each header framed as the IPC stream frames it: 0xFFFFFFFF, its padded length, the flatbuffer.
  const header = (bytes: Uint8Array) => {
    const padded = (bytes.byteLength + 7) & ~7;
    words.setInt32(at, -1, true);
    words.setInt32(at + 4, padded, true);
    out.set(bytes, at + 8);
    at += 8 + padded;
  };
  const body = (part: Body) => {
    for (const buffer of part.buffers) {
      if (buffer instanceof Doubles) {
        writeDoubles(new Float64Array(out.buffer, at, buffer.length), buffer);
        at += buffer.length * 8;
        continue;
      }
      out.set(bytesOf(buffer, 0, buffer.byteLength), at);
      at += (buffer.byteLength + 7) & ~7;
    }
  };
  header(headers[0]!);
  for (let i = 0; i < dictionaries.length; i++) {
    header(headers[i + 1]!);
    body(dictionaries[i]![1]);
  }
  header(headers[headers.length - 1]!);
  body(batch);
  words.setInt32(at, -1, true); // end of stream: 0xFFFFFFFF, then a length of 0
  return out;
}

function writeDoubles(target: Float64Array, { values, start, length }: Doubles): void {
  if (values instanceof Float64Array) {
    target.set(values.subarray(start, start + length));
    return;
  }
  for (let i = 0; i < length; i++) target[i] = values[start + i]!;
}
