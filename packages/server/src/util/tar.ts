/**
 * The little of the POSIX ustar format that backups need: regular files with names up to 100
 * characters, streamed out one after another, and read back one at a time from a file. A
 * backup is a tar so that standard tools can list and unpack it too.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtimeMs: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`Tar entry name over 100 bytes: ${name}`);
  block.write(name, 0, 'utf8');
  block.write(octal(0o600, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(Math.floor(mtimeMs / 1000), 12), 136);
  block.write(' '.repeat(8), 148);
  block.write('0', 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

export interface TarFile {
  name: string;
  /** A file on disk, read when its turn comes. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** A tar stream of the files, in order. Sizes must be final: files must not change meanwhile. */
export function tarStream(files: TarFile[]): Readable {
  async function* blocks() {
    for (const file of files) {
      yield header(file.name, file.size, file.mtimeMs);
      let written = 0;
      const stream: ReadStream = createReadStream(file.path, { start: 0, end: Math.max(0, file.size - 1) });
      if (file.size > 0) {
        for await (const chunk of stream) {
          written += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      } else {
        stream.destroy();
      }
      if (written !== file.size) throw new Error(`${file.path} changed size while it was archived.`);
      const padding = (BLOCK - (file.size % BLOCK)) % BLOCK;
      if (padding) yield Buffer.alloc(padding);
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  return Readable.from(blocks());
}

/** True when the file starts with a ustar header. */
export async function isTarFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const block = Buffer.alloc(BLOCK);
    const { bytesRead } = await handle.read(block, 0, BLOCK, 0);
    return bytesRead === BLOCK && block.toString('latin1', 257, 262) === 'ustar';
  } finally {
    await handle.close();
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** Byte offset of the entry's content in the file. */
  offset: number;
}

/** The regular-file entries of a tar file; throws on a damaged or truncated archive. */
export async function listTar(path: string): Promise<TarEntry[]> {
  const handle: FileHandle = await open(path, 'r');
  try {
    const { size: total } = await handle.stat();
    const entries: TarEntry[] = [];
    const block = Buffer.alloc(BLOCK);
    let position = 0;
    while (position + BLOCK <= total) {
      await handle.read(block, 0, BLOCK, position);
      if (block.every((byte) => byte === 0)) return entries;
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
      const stored = Number.parseInt(block.toString('latin1', 148, 156).replace(/[\0 ]/g, ''), 8);
      if (stored !== sum) throw new Error(`the tar header at byte ${position} is damaged`);
      const name = block.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = Number.parseInt(block.toString('latin1', 124, 136).replace(/[\0 ]/g, '') || '0', 8);
      const type = block.toString('latin1', 156, 157);
      const offset = position + BLOCK;
      if (offset + size > total) throw new Error(`the archive is cut short inside ${name}`);
      if (type === '0' || type === '\0') entries.push({ name, size, offset });
      position = offset + Math.ceil(size / BLOCK) * BLOCK;
    }
    throw new Error('the archive is cut short (no end-of-archive blocks)');
  } finally {
    await handle.close();
  }
}

/** A stream of one entry's content. */
export function readTarEntry(path: string, entry: TarEntry): Readable {
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1 });
}
