/**
 * `fetch` over Node.js's own `http` and `https` modules, the SDK's default transport on Node.js.
 *
 * Node's global `fetch` (undici) copies a request body twice before it reaches the socket: into
 * a fresh buffer, then again as it enters a web stream. For a batch of thousands of records that
 * is megabytes of memory outside V8's heap per request, and a client that sends a burst of
 * batches crosses V8's external-memory threshold, which starts full garbage collections of its
 * whole heap (the application's objects included). `http.request` writes the caller's bytes to
 * the socket as they are.
 *
 * It does what the SDK asks of `fetch` and no more: a method, headers, a string or byte body and
 * an abort signal; the answer is read whole (decompressed as `fetch` would) into a `Response`,
 * and redirects are followed as `fetch` follows them.
 * Failures reject as `fetch`'s do: a `TypeError('fetch failed')` whose `cause` is the network
 * error, or the signal's reason when it aborts.
 */
import type * as Http from 'node:http';
import type * as Zlib from 'node:zlib';

interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
  versions?: Record<string, string | undefined>;
}

/** A `fetch` on `node:http`/`node:https`, or undefined outside Node.js (browsers, Deno, Bun). */
export function nodeFetch(): typeof globalThis.fetch | undefined {
  const proc = (globalThis as { process?: ProcessLike }).process;
  // Deno and Bun emulate node:http over their own fetch: theirs is the better transport there.
  if (proc?.versions?.node === undefined || proc.versions.bun !== undefined || 'Deno' in globalThis) {
    return undefined;
  }
  const http = proc.getBuiltinModule?.('node:http') as typeof Http | undefined;
  const https = proc.getBuiltinModule?.('node:https') as typeof Http | undefined;
  const zlib = proc.getBuiltinModule?.('node:zlib') as typeof Zlib | undefined;
  if (typeof http?.request !== 'function' || typeof https?.request !== 'function' || !zlib) return undefined;
  // Connections stay open between requests, as fetch keeps them; idle ones never hold the process.
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  /** One request and its whole answer; redirects are the caller's. */
  const send = (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') {
        reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
        return;
      }
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', abort);
        reject(error);
      };
      const failed = (error: unknown) => fail(new TypeError('fetch failed', { cause: error }));
      const request = (secure ? https : http).request(
        url,
        {
          method,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(body.byteLength) },
          agent: agents[secure ? 'https:' : 'http:'],
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('error', failed);
          const decoded = decode(zlib, response);
          decoded.on('data', (chunk: Buffer) => chunks.push(chunk));
          decoded.on('error', failed);
          decoded.on('end', () => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', abort);
            const status = response.statusCode ?? 0;
            const answer = new Headers();
            const raw = response.rawHeaders;
            for (let i = 0; i + 1 < raw.length; i += 2) answer.append(raw[i]!, raw[i + 1]!);
            // A Response of these statuses may not have a body.
            const empty = status === 204 || status === 205 || status === 304;
            resolve(
              new Response(empty ? null : Buffer.concat(chunks), {
                status,
                statusText: response.statusMessage ?? '',
                headers: answer,
              }),
            );
          });
        },
      );
      const abort = () => {
        fail(signal?.reason);
        request.destroy();
      };
      signal?.addEventListener('abort', abort, { once: true });
      request.on('error', failed);
      request.end(body);
    });

  /** Follows redirects as fetch does (`redirect: 'follow'`, at most 20). */
  const fetchOverHttp = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let method = (init.method ?? 'GET').toUpperCase();
    let body = toBody(init.body);
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const signal = init.signal ?? undefined;
    for (let redirects = 0; ; redirects++) {
      const response = await send(url, method, headers, body, signal);
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || init.redirect === 'manual') return response;
      if (init.redirect === 'error' || redirects === 20) {
        throw new TypeError('fetch failed', { cause: new Error(`redirected to ${location}`) });
      }
      const next = new URL(location, url);
      // Credentials go to the origin they were meant for only.
      if (next.origin !== url.origin) delete headers.authorization;
      if (response.status === 303 ? method !== 'HEAD' : response.status <= 302 && method === 'POST') {
        method = 'GET';
        body = undefined;
        for (const name of ['content-type', 'content-encoding', 'content-language', 'content-location'])
          delete headers[name];
      }
      url = next;
    }
  };
  return fetchOverHttp as typeof globalThis.fetch;
}

/** Statuses after which fetch goes to the Location. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function toBody(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // Streams, forms and blobs: the SDK never sends them.
  throw new TypeError('this transport sends string and byte bodies only');
}

/** The response's bytes, decompressed by its Content-Encoding as fetch does. */
function decode(zlib: typeof Zlib, response: Http.IncomingMessage): NodeJS.ReadableStream {
  switch ((response.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    case 'deflate':
      return response.pipe(zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    case 'br':
      return response.pipe(
        zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
      );
    default:
      return response;
  }
}
