/**
 * Remembers what a cell's bytes meant the first time they were read, so a category that repeats
 * (the usual case: a few labels over millions of rows) is found by a hash of its bytes instead of
 * becoming a new string per cell. Columns with very many distinct values stop being remembered
 * past a bound (their cells are read as text, as before) so the memory stays small.
 */

/** A column keeps at most this many values' bytes (about 0.5 MiB with the arena), whatever its size. */
const MAX_ENTRIES = 1 << 12;
const MAX_ARENA_BYTES = 256 << 10;

export class ByteInterner<T> {
  /** Open addressing: entry index + 1 per slot, 0 when empty. */
  #slots = new Int32Array(256);
  #hashes = new Int32Array(64);
  #starts = new Int32Array(64);
  #lengths = new Int32Array(64);
  #values: T[] = [];
  #arena = new Uint8Array(4096);
  #arenaUsed = 0;
  /** Hash of the bytes last looked up, for the `remember` that follows a miss. */
  #lastHash = 0;

  /** What the bytes `[start, end)` of `bytes` meant before, or undefined. */
  lookup(bytes: Uint8Array, start: number, end: number): T | undefined {
    let hash = 0x811c9dc5;
    for (let p = start; p < end; p++) hash = Math.imul(hash ^ bytes[p]!, 0x01000193);
    this.#lastHash = hash;
    const mask = this.#slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]! - 1;
      if (entry < 0) return undefined;
      if (this.#hashes[entry] !== hash || this.#lengths[entry] !== length) continue;
      const at = this.#starts[entry]!;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (this.#arena[at + k] !== bytes[start + k]) {
          same = false;
          break;
        }
      }
      if (same) return this.#values[entry];
    }
  }

  /** Remembers `value` for the bytes of the last `lookup`, which missed. */
  remember(bytes: Uint8Array, start: number, end: number, value: T): void {
    const length = end - start;
    const entry = this.#values.length;
    if (entry >= MAX_ENTRIES || this.#arenaUsed + length > MAX_ARENA_BYTES) return;
    if (this.#arenaUsed + length > this.#arena.length) {
      const arena = new Uint8Array(Math.max(this.#arena.length * 2, this.#arenaUsed + length));
      arena.set(this.#arena.subarray(0, this.#arenaUsed));
      this.#arena = arena;
    }
    this.#arena.set(bytes.subarray(start, end), this.#arenaUsed);
    if (entry === this.#hashes.length) {
      this.#hashes = grown(this.#hashes);
      this.#starts = grown(this.#starts);
      this.#lengths = grown(this.#lengths);
    }
    this.#hashes[entry] = this.#lastHash;
    this.#starts[entry] = this.#arenaUsed;
    this.#lengths[entry] = length;
    this.#values.push(value);
    this.#arenaUsed += length;
    // Keep the table at most half full.
    if ((entry + 1) * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    else this.#place(entry);
  }

  #place(entry: number): void {
    const mask = this.#slots.length - 1;
    let slot = this.#hashes[entry]! & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = entry + 1;
  }

  #rehash(size: number): void {
    this.#slots = new Int32Array(size);
    for (let entry = 0; entry < this.#values.length; entry++) this.#place(entry);
  }
}

function grown(values: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(values.length * 2);
  next.set(values);
  return next;
}
