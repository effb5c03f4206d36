/**
 * Writes packages/sdk/src/generated/api-types.ts: the TypeScript types of every named schema
 * of the server's OpenAPI document, so the SDK (and through it the dashboard) states the wire
 * shapes once, where the server validates them, without depending on the server at run time.
 *
 *   npm run generate:api-types
 *
 * A test (scripts/vitest/api-types.test.ts) fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp, DuckDbStore, loadConfig } from '../packages/server/src/index.js';

export const API_TYPES_FILE = fileURLToPath(
  new URL('../packages/sdk/src/generated/api-types.ts', import.meta.url),
);

const HEADER = `/**
 * Generated from the server's OpenAPI document by scripts/api-types.ts
 * (\`npm run generate:api-types\`); do not edit. \`XInput\` is what a request may send (defaults
 * not yet applied), \`X\` what the server answers.
 */
`;

/** The OpenAPI document, as `GET /api/v1/openapi.json` serves it, from a server that never listens. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = await DuckDbStore.open({ path: ':memory:' });
  const app = await buildApp(loadConfig({}, { logLevel: 'silent', dataDir: ':memory:' }), { store });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await store.close();
  }
}

interface Parameter {
  in: string;
}

/**
 * The query parameters of each GET route that has some, as `paths[route].get.parameters.query`:
 * the SDK's query options are these types.
 */
function queryParameters(document: Record<string, unknown>): OpenAPI3['paths'] {
  const paths: NonNullable<OpenAPI3['paths']> = {};
  const all = document.paths as Record<string, { get?: { parameters?: Parameter[] } }>;
  for (const [path, operations] of Object.entries(all)) {
    const query = (operations.get?.parameters ?? []).filter((p) => p.in === 'query');
    if (query.length === 0) continue;
    paths[path] = { get: { parameters: query, responses: {} } } as NonNullable<OpenAPI3['paths']>[string];
  }
  return paths;
}

/**
 * The generated file's text: the named schemas, and the query parameters of GET routes. The SDK
 * states its own routes.
 */
export async function renderApiTypes(): Promise<string> {
  const document = await openApiDocument();
  const { components } = document as unknown as Required<Pick<OpenAPI3, 'components'>>;
  const ast = await openapiTS(
    {
      openapi: '3.1.0',
      info: { title: 'Vigil API', version: '0' },
      paths: queryParameters(document),
      components: { schemas: components.schemas ?? {} },
    },
    // A field with a default may be left out of a request; answers list it as required anyway.
    { defaultNonNullable: false },
  );
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(API_TYPES_FILE, await renderApiTypes());
  process.stdout.write(`Wrote ${API_TYPES_FILE}\n`);
}
