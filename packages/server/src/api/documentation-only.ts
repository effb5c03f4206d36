/**
 * Ingest bodies are validated record by record (so one bad record does not fail the
 * batch), not by Fastify. Their schemas still document the body in OpenAPI; this
 * marks them so the validator compiler skips them.
 */
const DOCUMENTATION_ONLY = new WeakSet<object>();

export function documentationOnly<T extends object>(schema: T): T {
  DOCUMENTATION_ONLY.add(schema);
  return schema;
}

export function isDocumentationOnly(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && DOCUMENTATION_ONLY.has(schema);
}
