/**
 * Where column values wait between reading a file and analysing it. Values arrive in fixed-size
 * chunks; while the chunks held in memory stay within a budget they stay there, and past it they
 * are appended to one temporary file, so reading a file of any size needs the budget and no more.
 * The analysis then loads one column at a time (see `StoredColumn.load`), so every statistic is
 * computed on all the values, exactly, with one column pair in memory rather than the whole table.
 *
 * The temporary file is unlinked as soon as it is opened: the operating system frees its space
 * when the descriptor closes, on a normal exit, an error, Ctrl-C or a kill alike.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../io.js';

/** Values per chunk: small enough that a hundred columns' open chunks stay a few MiB. */
export const CHUNK_VALUES = 1 << 14;

/** Bytes of column values a report keeps in memory while reading, unless told otherwise. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 16 * 2 ** 20;

export type ChunkArray = Float64Array | Int32Array;

/** A full chunk: in memory (`data`), or in the temporary file at `offset`. */
export interface StoredChunk {
  readonly length: number;
  readonly bytes: number;
  data: ChunkArray | null;
  offset: number;
}

export class ColumnStore {
  readonly budgetBytes: number;
  #heldBytes = 0;
  #fd: number | null = null;
  #fileBytes = 0;
  #closed = false;

  /** `budgetBytes`: column values kept in memory; Infinity keeps everything in memory. */
  constructor(budgetBytes: number = DEFAULT_MEMORY_BUDGET_BYTES) {
    this.budgetBytes = budgetBytes;
  }

  /** Bytes of column values written to the temporary file so far. */
  get spilledBytes(): number {
    return this.#fileBytes;
  }

  /** Bytes of column values held in memory now. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Keeps `data` (whose ownership passes to the store) in memory if the budget allows, else on disk. */
  place(data: ChunkArray): StoredChunk {
    const bytes = data.byteLength;
    if (this.#heldBytes + bytes <= this.budgetBytes) {
      this.#heldBytes += bytes;
      return { length: data.length, bytes, data, offset: -1 };
    }
    const offset = this.#append(data);
    return { length: data.length, bytes, data: null, offset };
  }

  /** Copies the chunk's values into `into` from position `at`. */
  read(chunk: StoredChunk, into: ChunkArray, at: number): void {
    if (chunk.data) {
      into.set(chunk.data as never, at);
      return;
    }
    const view = new Uint8Array(into.buffer, into.byteOffset + at * into.BYTES_PER_ELEMENT, chunk.bytes);
    let done = 0;
    while (done < chunk.bytes) {
      const n = readSync(this.#fd!, view, done, chunk.bytes - done, chunk.offset + done);
      if (n === 0) throw new CliError('The temporary column file ended early (was it removed?)');
      done += n;
    }
  }

  /** Forgets a chunk (its memory returns to the budget; its bytes on disk stay until close). */
  release(chunk: StoredChunk): void {
    if (chunk.data) {
      this.#heldBytes -= chunk.bytes;
      chunk.data = null;
      chunk.offset = -1;
    }
  }

  /** Closes (and so frees) the temporary file. Safe to call more than once. */
  close(): void {
    this.#closed = true;
    if (this.#fd !== null) {
      closeSync(this.#fd);
      this.#fd = null;
    }
  }

  #append(data: ChunkArray): number {
    if (this.#closed) throw new Error('column store used after close');
    if (this.#fd === null) this.#fd = openUnlinked();
    const offset = this.#fileBytes;
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let done = 0;
    try {
      while (done < view.length) done += writeSync(this.#fd, view, done, view.length - done, offset + done);
    } catch (error) {
      throw new CliError(
        `Cannot write the temporary column file in ${tmpdir()}: ${(error as Error).message} (set TMPDIR to a folder with more space, or raise --memory-budget)`,
      );
    }
    this.#fileBytes += view.length;
    return offset;
  }
}

/** A temporary file that is already unlinked: it lives exactly as long as its descriptor. */
function openUnlinked(): number {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'vigil-report-'));
  } catch (error) {
    throw new CliError(
      `Cannot create a temporary folder in ${tmpdir()}: ${(error as Error).message} (set TMPDIR to a writable folder)`,
    );
  }
  const path = join(dir, 'columns.bin');
  const fd = openSync(path, 'w+', 0o600);
  unlinkSync(path);
  rmdirSync(dir);
  return fd;
}
