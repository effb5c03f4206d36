import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import { type RejectedLogRecord, VigilClient, type VigilClientOptions } from './client.js';
import type { VigilError } from './errors.js';

/** A request as the test receiver saw it, body decoded. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Bytes as they arrived (compressed when `content-encoding: gzip`). */
  rawBytes: number;
  body: string;
  /** NDJSON lines, the elements of a JSON array or the rows of a columnar body; empty for other bodies. */
  records: Record<string, unknown>[];
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Decides the answer to the request numbered `n` (0-based); `'destroy'` closes the connection. */
export type Responder = (
  request: ReceivedRequest,
  n: number,
) => Reply | 'destroy' | Promise<Reply | 'destroy'>;

/** Accepts every record: `{accepted: records.length, rejected: []}`. */
export const acceptAll: Responder = (request) => ({
  status: 200,
  body: { accepted: request.records.length, rejected: [] },
});

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  respond(responder: Responder): void;
  /** Records of every request answered 200 so far, in arrival order. */
  accepted(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** The records of a columnar body, each with the fields and names that are not null in its row. */
export function recordsFromColumns(body: string): Record<string, unknown>[] {
  const columns = JSON.parse(body) as Record<string, unknown> & { length: number };
  const at = (value: unknown, i: number) => (Array.isArray(value) ? value[i] : value);
  return Array.from({ length: columns.length }, (_, i) => {
    const record: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(columns)) {
      if (field === 'length') continue;
      if (field === 'features' || field === 'segments' || field === 'scores') {
        const named: Record<string, unknown> = {};
        for (const [name, cells] of Object.entries(value as Record<string, unknown>)) {
          const cell = at(cells, i);
          if (cell !== null && cell !== undefined) named[name] = cell;
        }
        if (field === 'features' || Object.keys(named).length > 0) record[field] = named;
        continue;
      }
      const cell = at(value, i);
      if (cell !== null && cell !== undefined) record[field] = cell;
    }
    return record;
  });
}

/** The records of an Arrow stream as the server reads them, in the shape of `recordsFromColumns`. */
export function recordsFromArrow(bytes: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(bytes);
  const columns: Record<string, unknown> & { length: number } = { length: table.numRows };
  for (const field of table.schema.fields) {
    const values = [...(table.getChild(field.name) ?? [])].map((v) => (v === undefined ? null : v));
    const dot = field.name.indexOf('.');
    if (dot < 0) {
      columns[field.name] = values;
      continue;
    }
    const group = field.name.slice(0, dot);
    columns[group] ??= {};
    (columns[group] as Record<string, unknown>)[field.name.slice(dot + 1)] = values;
  }
  columns.features ??= {};
  return recordsFromColumns(JSON.stringify(columns));
}

function parseRecords(contentType: string, body: string, bytes: Uint8Array): Record<string, unknown>[] {
  if (contentType.includes('vnd.apache.arrow')) return recordsFromArrow(bytes);
  if (contentType.includes('vnd.vigil.columns')) return recordsFromColumns(body);
  if (contentType.includes('ndjson')) {
    return body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  if (contentType.includes('json')) {
    const value = JSON.parse(body) as unknown;
    return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  }
  return [];
}

/** A real HTTP server on a free local port that records requests and answers as told. */
export async function startReceiver(initial: Responder = acceptAll): Promise<Receiver> {
  let responder = initial;
  const requests: ReceivedRequest[] = [];
  const acceptedRecords: Record<string, unknown>[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const decoded = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = decoded.toString('utf8');
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBytes: raw.length,
      body,
      records: parseRecords(String(req.headers['content-type'] ?? ''), body, decoded),
      at: Date.now(),
    };
    const n = requests.length;
    requests.push(request);
    const reply = await responder(request, n);
    if (reply === 'destroy') {
      req.socket.destroy();
      return;
    }
    if (reply.status === 200) acceptedRecords.push(...request.records);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      responder = next;
    },
    accepted: () => acceptedRecords,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Polls `condition` every 5 ms until it holds or `timeoutMs` elapses. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A client of the server at `target` that keeps every error and rejected record it reports
 * instead of printing them, and flushes quickly.
 */
export function collectingClient(
  target: { url: string; adminKey: string },
  model: string,
  options: Partial<VigilClientOptions> = {},
) {
  const errors: VigilError[] = [];
  const rejected: RejectedLogRecord[] = [];
  const vigil = new VigilClient({
    url: target.url,
    apiKey: target.adminKey,
    model,
    flushIntervalMs: 50,
    onError: (error) => errors.push(error),
    onRejected: (records) => rejected.push(...records),
    ...options,
  });
  return { vigil, errors, rejected };
}
