/** The SDK's wire types are generated from the server's schemas; the committed file must be current. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '../api-types.js';

it("the SDK's generated API types are those of the server's OpenAPI document", async () => {
  const current = await renderApiTypes();
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  expect(
    committed === current,
    `${API_TYPES_FILE} is stale: the server's schemas changed; run \`npm run generate:api-types\` and commit the result`,
  ).toBe(true);
});
