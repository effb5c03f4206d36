/**
 * How an evaluated batch is cut into write transactions. DuckDB has one writer, and ingestion's
 * commits wait for whatever transaction holds it: a batch of a thousand tasks written at once
 * would hold it for seconds. Each chunk holds whole model-windows (a window's results land
 * together), in the order they come, up to about `maxRows` result rows and tasks; a model-window
 * larger than that is a chunk of its own.
 */
export function landingChunks<T extends { group: number; write: { results: unknown[] } | null }>(
  done: T[],
  maxRows: number,
): T[][] {
  const byGroup = new Map<number, T[]>();
  for (const entry of done) {
    const entries = byGroup.get(entry.group);
    if (entries) entries.push(entry);
    else byGroup.set(entry.group, [entry]);
  }
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let rows = 0;
  for (const entries of byGroup.values()) {
    const size = entries.reduce((n, d) => n + 1 + (d.write?.results.length ?? 0), 0);
    if (chunk.length > 0 && rows + size > maxRows) {
      chunks.push(chunk);
      chunk = [];
      rows = 0;
    }
    chunk.push(...entries);
    rows += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
