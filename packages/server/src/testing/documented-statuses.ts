/**
 * Holds every answer a test server gives through `api()` to the OpenAPI document: a status
 * that the document does not declare for its operation is recorded, and closing the server
 * fails with the list. A route that can answer a status (a 409 thrown deep in a service, a
 * 422 from a helper) then cannot stay undocumented while a test exercises it.
 */

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Path parameters: fewer wins when two templates match (`/aliases` before `/{alias}`). */
  parameters: number;
  statuses: Set<string>;
}

interface OpenApiPaths {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

export class DocumentedStatuses {
  private operations: Promise<Operation[]> | null = null;
  private readonly undocumented = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** Records `status` if the document declares the operation but not this answer. */
  async check(method: string, url: string, status: number): Promise<void> {
    const path = new URL(url, this.baseUrl).pathname;
    const wanted = method.toUpperCase() === 'HEAD' ? 'get' : method.toLowerCase();
    const operation = (await this.load())
      .filter((o) => o.method === wanted && o.pattern.test(path))
      .sort((a, b) => a.parameters - b.parameters)[0];
    if (!operation) return;
    const code = String(status);
    if (operation.statuses.has(code) || operation.statuses.has(`${code[0]}XX`)) return;
    this.undocumented.add(`${wanted.toUpperCase()} ${operation.template} answered ${code}`);
  }

  /** Throws when any answer was undocumented. */
  assertAllDocumented(): void {
    if (this.undocumented.size === 0) return;
    throw new Error(
      `Answers the OpenAPI document does not declare (add them to the route's response schema):\n  ${[
        ...this.undocumented,
      ].join('\n  ')}`,
    );
  }

  /** The document's operations; none (nothing checked) while the server cannot serve it. */
  private async load(): Promise<Operation[]> {
    this.operations ??= fetch(`${this.baseUrl}/api/v1/openapi.json`, {
      headers: { authorization: `Bearer ${this.key}` },
    }).then(async (response) => {
      if (!response.ok) throw new Error(`openapi.json answered ${response.status}`);
      return operationsOf((await response.json()) as OpenApiPaths);
    });
    try {
      return await this.operations;
    } catch {
      this.operations = null;
      return [];
    }
  }
}

function operationsOf(document: OpenApiPaths): Operation[] {
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    for (const [method, operation] of Object.entries(methods)) {
      operations.push({
        method,
        template,
        pattern: new RegExp(`^${source}$`),
        parameters: (template.match(/\{/g) ?? []).length,
        statuses: new Set(Object.keys(operation.responses ?? {})),
      });
    }
  }
  return operations;
}
