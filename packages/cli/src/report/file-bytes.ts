/**
 * A text file's bytes (gunzipped when gzipped, a leading byte-order mark dropped), handed to a
 * parser chunk by chunk: the parser takes what it can and says where the unfinished rest starts,
 * which comes back in front of the next chunk. The last call has `final` set.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { CliError } from '../io.js';

/** Parses what it can of `bytes`; answers where the unparsed rest starts. */
export type ByteParser = (bytes: Buffer, final: boolean) => number;

export async function parseFileBytes(
  path: string,
  options: {
    label: string;
    gzipped: boolean;
    /** Bytes read at a time (tests use small ones to cut records at every place). */
    chunkBytes?: number;
    /** After each chunk, with the fraction of the file read. */
    onChunk?: (fraction: number) => void;
  },
  parse: ByteParser,
): Promise<void> {
  const file = options.label;
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${file} is a directory, not a file`);
    size = info.size;
  } catch (error) {
    throw readError(file, error);
  }
  const raw = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let bytesRead = 0;
  raw.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const stream = options.gzipped ? raw.pipe(createGunzip()) : raw;
  if (options.gzipped) raw.on('error', (error) => stream.destroy(error));

  let carry: Buffer = Buffer.alloc(0);
  let started = false;
  try {
    for await (const chunk of stream) {
      let bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      if (!started) {
        // A byte-order mark may arrive split over the first chunks.
        if (bytes.length < 3 && isBomPrefix(bytes)) {
          carry = bytes;
          continue;
        }
        started = true;
        if (startsWithBom(bytes)) bytes = bytes.subarray(3);
      }
      carry = bytes.subarray(parse(bytes, false));
      options.onChunk?.(size === 0 ? 1 : bytesRead / size);
    }
    if (!started && startsWithBom(carry)) carry = carry.subarray(3);
    if (carry.length > 0) parse(carry, true);
  } catch (error) {
    throw readError(file, error);
  }
}

/** What went wrong reading `file`, in the words of `vigil ingest`'s reader. */
function readError(file: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`File not found: ${file}`);
  if (code === 'EISDIR') return new CliError(`${file} is a directory, not a file`);
  if (code === 'EACCES') return new CliError(`Permission denied reading ${file}`);
  return new CliError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function isBomPrefix(bytes: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== bom[i]) return false;
  return true;
}
