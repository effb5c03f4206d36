/**
 * Compressed JSON answers: a JSON body of at least `COMPRESSION_THRESHOLD_BYTES` goes out brotli or
 * gzip encoded when the request's Accept-Encoding allows it (the overview of 1,000 models is about
 * 380 KiB as JSON and a tenth of that compressed).
 *
 * Only bodies already in memory (strings and buffers) are compressed. Streamed answers (backup
 * archives, artifact downloads) keep their bytes, their Content-Length and their flow: compressing
 * them would hold or re-chunk a download and spend CPU on data that is already packed. Bodies
 * that already carry a Content-Encoding (the dashboard's precompressed assets) are left alone.
 * The work runs on libuv's thread pool (async zlib), not on the event loop.
 */
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Below this a compressed body saves less than the headers and the work cost. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

export type ResponseEncoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Brotli quality 4 (of 11): for bodies built per request it packs tighter than gzip's default
 * level at less CPU; the high qualities are for precompressed static files.
 */
const BROTLI_OPTIONS = {
  params: {
    [zlibConstants.BROTLI_PARAM_QUALITY]: 4,
    [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
  },
};

/**
 * The encoding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3): the accepted
 * coding with the highest q-value, brotli before gzip on a tie; `*` stands for any coding not
 * named; q=0 refuses. Null means the identity (no header, nothing acceptable, or only identity).
 */
export function negotiateEncoding(header: string | undefined): ResponseEncoding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split('=');
      if (key === 'q') {
        const parsed = Number(value);
        weight = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
      }
    }
    weights.set(name.trim(), weight);
  }
  const weightOf = (coding: ResponseEncoding) => weights.get(coding) ?? weights.get('*') ?? 0;
  const candidates = (['br', 'gzip'] as const)
    .map((coding) => ({ coding, weight: weightOf(coding) }))
    .filter((candidate) => candidate.weight > 0);
  if (candidates.length === 0) return null;
  // A stable sort keeps brotli first when both have the same weight.
  candidates.sort((a, b) => b.weight - a.weight);
  return candidates[0]!.coding;
}

function isJson(contentType: unknown): boolean {
  if (typeof contentType !== 'string') return false;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

export async function compressBody(body: Buffer, encoding: ResponseEncoding): Promise<Buffer> {
  return encoding === 'br' ? brotli(body, BROTLI_OPTIONS) : gzipAsync(body);
}

async function compressJsonAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  if (!isJson(reply.getHeader('content-type')) || reply.hasHeader('content-encoding')) return payload;
  // The answer depends on Accept-Encoding whether or not this one is compressed.
  reply.header('vary', appendVary(reply.getHeader('vary')));
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size < COMPRESSION_THRESHOLD_BYTES || request.method === 'HEAD') return payload;
  const encoding = negotiateEncoding(request.headers['accept-encoding']);
  if (encoding === null) return payload;
  const compressed = await compressBody(
    typeof payload === 'string' ? Buffer.from(payload) : payload,
    encoding,
  );
  reply.header('content-encoding', encoding);
  reply.removeHeader('content-length');
  return compressed;
}

function appendVary(current: unknown): string {
  const value = Array.isArray(current) ? current.join(', ') : typeof current === 'string' ? current : '';
  if (
    value.split(',').some((field) => field.trim().toLowerCase() === 'accept-encoding' || field.trim() === '*')
  ) {
    return value;
  }
  return value ? `${value}, Accept-Encoding` : 'Accept-Encoding';
}

/** Adds the hook to the app; registered before the routes so it applies to every one of them. */
export function registerResponseCompression(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload) => compressJsonAnswer(request, reply, payload));
}
