/** Shared by the ingestion tests: a model schema and a POST that returns status and JSON body. */
import type { TestServer } from '../../testing/index.js';

/** A binary classifier with one feature of each common type and a segment. */
export const FRAUD_SCHEMA = {
  features: [
    { name: 'amount', type: 'numeric' },
    { name: 'country', type: 'categorical', categories: ['DE', 'FR', 'US'] },
    { name: 'is_new', type: 'boolean' },
  ],
  segments: ['region'],
};

export async function postBody(
  server: TestServer,
  path: string,
  body: string | Buffer,
  headers: Record<string, string>,
) {
  const response = await server.api(path, { method: 'POST', body, headers });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
