/**
 * The few things that differ between JavaScript runtimes, kept in one place so that the rest of
 * the SDK is plain standard JavaScript (global `fetch`, `URL`, `Blob`, `crypto`).
 */

type Zlib = typeof import('node:zlib');

interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

/** `node:zlib` when running on Node.js (or a runtime that offers it), without a static import. */
function builtinZlib(): Zlib | undefined {
  const proc = (globalThis as { process?: ProcessLike }).process;
  const zlib = proc?.getBuiltinModule?.('node:zlib') as Zlib | undefined;
  return typeof zlib?.gzip === 'function' ? zlib : undefined;
}

/** Whether {@link gzip} can compress in this runtime. */
export function canGzip(): boolean {
  return builtinZlib() !== undefined || typeof globalThis.CompressionStream === 'function';
}

/**
 * Gzip-compresses `data` off the main thread where the runtime allows it: `node:zlib` on Node.js
 * (its thread pool), `CompressionStream` elsewhere. Level 1: on repetitive JSON it still shrinks
 * the body several times over, at a fraction of the default level's CPU cost.
 */
export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const zlib = builtinZlib();
  if (zlib) {
    return new Promise((resolve, reject) => {
      zlib.gzip(data, { level: 1 }, (error, out) => (error ? reject(error) : resolve(out)));
    });
  }
  const compressed = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/** A random RFC 4122 version 4 UUID. */
export function randomId(): string {
  const webCrypto = globalThis.crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof webCrypto?.getRandomValues === 'function') webCrypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Lets the process exit while `timer` is pending (Node.js, Deno, Bun); a no-op in browsers. */
export function unrefTimer(timer: unknown): void {
  const unref = (timer as { unref?: () => void } | null)?.unref;
  if (typeof unref === 'function') unref.call(timer);
}

/**
 * Resolves after `ms` milliseconds. The timer keeps the process alive: a request waiting to be
 * retried is work in progress, and a process that ended during the wait would lose it (Node.js
 * ends a script whose top-level await can no longer settle with exit code 13 and no message).
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

/** The SHA-256 of `data` in hex, with the runtime's Web Crypto. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
