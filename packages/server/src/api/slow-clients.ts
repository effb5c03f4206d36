/**
 * Slow clients must not hold the server's resources: the HTTP server's own timeouts bound
 * headers and whole requests (see `serverTimeouts`), and a rate guard closes connections
 * whose body trickles in below the configured minimum once a grace period is over.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { VigilConfig } from '../config.js';
import { VigilError } from '../errors.js';
import type { Metrics } from '../metrics/registry.js';

/** Fastify options for the HTTP server's timeouts. */
export function serverTimeouts(config: VigilConfig): Partial<FastifyServerOptions> {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default): keep it a
      // fraction of the shortest, so a short timeout is enforced close to its value.
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(5000, Math.floor(Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4)),
      ),
    },
  } as Partial<FastifyServerOptions>;
}

export class BodyTooSlowError extends VigilError {
  constructor(bytesPerSecond: number) {
    super(
      408,
      'body_too_slow',
      `The request body arrived slower than ${Math.round(bytesPerSecond / 1024)} KB/s, the server's minimum; the connection is closed. Send faster or in smaller requests.`,
    );
  }
}

function expectsBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Registers the rate guard; register it after every other `preParsing` hook, so it wraps
 * the stream the body parser reads. A body must have arrived by
 * `start + grace + bytesSoFar / minRate`: each byte buys time, as in Apache's mod_reqtimeout.
 */
export function registerBodyRateGuard(app: FastifyInstance, config: VigilConfig, metrics: Metrics): void {
  const rate = config.minBodyBytesPerSecond;
  if (rate <= 0) return;
  app.addHook('preParsing', async (request, reply, payload) => {
    const raw = request.raw;
    const socket = raw.socket;
    if (!expectsBody(raw) || !socket) return payload;
    const start = Date.now();
    const startBytes = socket.bytesRead;
    const guarded = new PassThrough();
    // The parser compares this to Content-Length for gzip bodies (see app.ts).
    Object.defineProperty(guarded, 'receivedEncodedLength', {
      get: () => (payload as Readable & { receivedEncodedLength?: number }).receivedEncodedLength,
    });
    payload.on('error', (error) => guarded.destroy(error));
    payload.pipe(guarded);

    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    const check = () => {
      const deadline = start + config.bodyRateGraceMs + ((socket.bytesRead - startBytes) / rate) * 1000;
      const now = Date.now();
      if (now < deadline) {
        timer = setTimeout(check, deadline - now);
        timer.unref();
        return;
      }
      timer = undefined;
      metrics.slowClientsClosed.inc();
      request.log.warn(
        { remote: request.ip, received: socket.bytesRead - startBytes },
        'request body too slow',
      );
      payload.unpipe(guarded);
      reply.header('connection', 'close');
      // The answer goes out, then the socket is dropped whatever the client still sends.
      reply.raw.once('finish', () => socket.destroy());
      guarded.destroy(new BodyTooSlowError(rate));
    };
    timer = setTimeout(check, config.bodyRateGraceMs);
    timer.unref();
    payload.once('end', stop);
    raw.once('close', stop);
    return guarded;
  });
}
