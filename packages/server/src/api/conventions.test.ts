import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const created = await server.api('/api/v1/models', { json: { name: 'conv', task: 'regression' } });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await server.close();
});

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

async function openApi(): Promise<{ paths: Record<string, Record<string, OpenApiOperation>> }> {
  const response = await server.api('/api/v1/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
}

/** fetch refuses TRACE; node:http sends any method. */
function rawRequest(method: string, path: string): Promise<{ status: number; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('methods a path does not support', () => {
  it('answers 405 with Allow listing the supported methods, before authentication and body parsing', async () => {
    expect(await rawRequest('TRACE', '/api/v1/models')).toEqual({ status: 405, allow: 'GET, HEAD, POST' });
    for (const method of ['DELETE', 'PUT', 'OPTIONS', 'QUERY']) {
      const response = await server.api('/api/v1/models', { method, key: null });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
      expect(await response.json()).toEqual({
        error: 'method_not_allowed',
        message: `${method} is not supported on /api/v1/models; use GET, HEAD, POST.`,
      });
    }
    const withParams = await server.api('/api/v1/models/conv/predictions/some-id?x=1', { method: 'POST' });
    expect(withParams.status).toBe(405);
    expect(withParams.headers.get('allow')).toBe('GET, HEAD');
  });

  it('still answers 404 for a path no route serves', async () => {
    const response = await server.api('/api/v1/nothing-here', { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(response.headers.get('allow')).toBeNull();
  });
});

describe('router errors', () => {
  it('answers a path parameter over 200 characters with 414 and the standard error body', async () => {
    const response = await server.api(`/api/v1/models/${'m'.repeat(201)}`);
    expect(response.status).toBe(414);
    expect(await response.json()).toEqual({
      error: 'uri_too_long',
      message: 'A path parameter is over 200 characters, the longest this server accepts.',
    });
  });
});

describe('query booleans', () => {
  it('accept exactly true or false, and say so otherwise', async () => {
    for (const value of ['1', 'yes', 'TRUE', '']) {
      const response = await server.api(`/api/v1/models/conv/reference?replace=${value}`, {
        json: [{ prediction: 1, x: 1 }],
      });
      expect(response.status, value).toBe(400);
      expect(await response.json()).toMatchObject({
        error: 'validation_failed',
        message: 'querystring.replace: use true or false',
      });
    }
    for (const value of ['true', 'false']) {
      const response = await server.api(`/api/v1/models/conv/reference?replace=${value}`, {
        json: [{ prediction: 1, x: 1 }],
      });
      expect(response.status, value).toBe(200);
    }
  });
});

describe('the OpenAPI document', () => {
  it('documents the standard error answers of every route, with the error body', async () => {
    const document = await openApi();
    const expected: Record<string, string[]> = {
      'get /healthz': ['400'],
      'get /readyz': ['400'],
      'get /api/v1/models': ['400', '401', '403', '503'],
      'post /api/v1/models': ['400', '401', '403', '409', '413', '415', '503', '507'],
      'get /api/v1/models/{model}': ['400', '401', '403', '404', '414', '503'],
      'post /api/v1/models/{model}/reference': [
        '400',
        '401',
        '403',
        '404',
        '413',
        '414',
        '415',
        '503',
        '507',
      ],
      'delete /api/v1/keys/{id}': ['400', '401', '403', '404', '413', '414', '415', '503', '507'],
    };
    for (const [operation, statuses] of Object.entries(expected)) {
      const [method, path] = operation.split(' ') as [string, string];
      const responses = document.paths[path]?.[method]?.responses;
      expect(responses, operation).toBeDefined();
      for (const status of statuses) {
        expect(responses?.[status]?.content?.['application/json']?.schema, `${operation} ${status}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
        expect(responses?.[status]?.description).not.toBe('Default Response');
      }
    }
    // Every authenticated route, including those added later, gets 401 and 403.
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['400', '401', '403', '503']),
        );
      }
    }
  });

  it('describes time bounds, cursors and booleans by their format', async () => {
    const document = await openApi();
    const list = document.paths['/api/v1/models/{model}/predictions']?.get?.parameters ?? [];
    const param = (name: string) => list.find((p) => p.name === name)?.schema;
    expect(param('from')).toMatchObject({
      type: 'string',
      anyOf: expect.arrayContaining([{ format: 'date-time' }]),
    });
    expect(param('to')).toMatchObject({ anyOf: expect.arrayContaining([{ format: 'date-time' }]) });
    expect(param('cursor')).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9_-]+$' });
    const reference = document.paths['/api/v1/models/{model}/reference']?.post?.parameters ?? [];
    expect(reference.find((p) => p.name === 'replace')?.schema).toMatchObject({ type: 'boolean' });
  });

  it('documents Retry-After on 503 answers', async () => {
    const document = await openApi();
    const unavailable = document.paths['/api/v1/models/{model}/predictions']?.post?.responses['503'] as {
      headers?: Record<string, unknown>;
    };
    expect(unavailable.headers?.['Retry-After']).toMatchObject({ schema: { type: 'integer' } });
  });
});

describe('cursors', () => {
  it('refuses a cursor that is not base64url with a 400 that says to pass next_cursor back', async () => {
    const response = await server.api('/api/v1/models/conv/predictions?cursor=not%20a%20cursor');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining('use next_cursor as given'),
    });
  });
});
