/** Little-endian binary encoding shared by the sketches' `toBytes` / `fromBytes`. */

/** Growable little-endian buffer that sketches encode into; `finish` returns the bytes written. */
export class ByteWriter {
  private buffer = new ArrayBuffer(256);
  private view = new DataView(this.buffer);
  private offset = 0;

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.byteLength) return;
    let size = this.buffer.byteLength * 2;
    while (size < this.offset + bytes) size *= 2;
    const grown = new ArrayBuffer(size);
    new Uint8Array(grown).set(new Uint8Array(this.buffer, 0, this.offset));
    this.buffer = grown;
    this.view = new DataView(grown);
  }

  u8(value: number): this {
    this.reserve(1);
    this.view.setUint8(this.offset, value);
    this.offset += 1;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.offset, value, true);
    this.offset += 4;
    return this;
  }

  f64(value: number): this {
    this.reserve(8);
    this.view.setFloat64(this.offset, value, true);
    this.offset += 8;
    return this;
  }

  f64s(values: ArrayLike<number>): this {
    this.reserve(8 * values.length);
    for (let i = 0; i < values.length; i++) this.view.setFloat64(this.offset + 8 * i, values[i]!, true);
    this.offset += 8 * values.length;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    new Uint8Array(this.buffer, this.offset, bytes.length).set(bytes);
    this.offset += bytes.length;
    return this;
  }

  finish(): Uint8Array {
    return new Uint8Array(this.buffer.slice(0, this.offset));
  }
}

/** Little-endian reader over a sketch encoding; throws a `RangeError` when the bytes run out. */
export class ByteReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): void {
    if (this.offset + count > this.bytes.length) throw new RangeError('sketch bytes are truncated');
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  f64s(count: number): number[] {
    this.need(8 * count);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat64(this.offset + 8 * i, true);
    this.offset += 8 * count;
    return out;
  }

  raw(count: number): Uint8Array {
    this.need(count);
    const out = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** Checks the two-byte tag and version that open every sketch encoding. */
  header(tag: string, version: number): void {
    const a = this.u8();
    const b = this.u8();
    const v = this.u8();
    if (a !== tag.charCodeAt(0) || b !== tag.charCodeAt(1))
      throw new TypeError(`not a ${tag} sketch encoding`);
    if (v !== version) throw new TypeError(`unsupported ${tag} sketch encoding version ${v}`);
  }

  /** Throws unless every byte was consumed. */
  end(): void {
    if (this.offset !== this.bytes.length)
      throw new RangeError('unexpected trailing bytes in sketch encoding');
  }
}

/**
 * Writes the two-character tag and one-byte version that open every sketch encoding (checked by
 * `ByteReader.header`).
 */
export function writeHeader(writer: ByteWriter, tag: string, version: number): void {
  writer.u8(tag.charCodeAt(0)).u8(tag.charCodeAt(1)).u8(version);
}
