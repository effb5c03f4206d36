/**
 * Parquet straight into columns: each row group's column chunks as hyparquet decodes them (typed
 * arrays for numbers), only the columns the report uses, appended column by column instead of
 * through a row object per row. Values mean what they mean to the row reader of `vigil ingest`
 * (`parquetReadObjects`), which decodes the same chunks.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { CliError } from '../io.js';
import { appendValues, type ColumnReadOptions, type ColumnsRead, type FirstNonNumeric } from './append.js';
import { ColumnBuilder } from './columns.js';

type Chunk = { columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number };

export async function readParquetColumns(path: string, options: ColumnReadOptions): Promise<ColumnsRead> {
  const file = options.label;
  let buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    buffer = await asyncBufferFromFile(path);
  } catch (error) {
    throw readError(file, error);
  }
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new CliError(`${file} is not a readable Parquet file: ${(error as Error).message}`);
  }
  const names = parquetSchema(metadata).children.map((child) => child.element.name);
  const kept = options.keep ? names.filter((name) => options.keep!.has(name)) : names;
  const builders = new Map(kept.map((name) => [name, new ColumnBuilder(name, options.store)] as const));
  const firstNonNumeric = new Map<string, FirstNonNumeric>();
  const total = Number(metadata.num_rows);
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const chunks = new Map<string, Chunk[]>(kept.map((name) => [name, []]));
    if (kept.length > 0) {
      try {
        await parquetRead({
          file: buffer,
          metadata,
          columns: kept,
          rowStart: groupStart,
          rowEnd: groupEnd,
          onChunk: (chunk) => chunks.get(chunk.columnName)?.push(chunk),
        });
      } catch (error) {
        throw new CliError(
          `${file}: cannot read rows ${groupStart + 1}-${groupEnd}: ${(error as Error).message}`,
        );
      }
    }
    for (const [name, columnChunks] of chunks) {
      const builder = builders.get(name)!;
      columnChunks.sort((a, b) => a.rowStart - b.rowStart);
      let next = groupStart;
      for (const chunk of columnChunks) {
        // Chunks may hold rows outside the group asked for; each row is taken once, in order.
        const from = Math.max(next, chunk.rowStart);
        const to = Math.min(groupEnd, chunk.rowEnd);
        if (to > from)
          appendValues(
            builder,
            chunk.columnData,
            from - chunk.rowStart,
            to - chunk.rowStart,
            from + 1,
            firstNonNumeric,
          );
        if (to > next) next = to;
      }
      if (next !== groupEnd)
        throw new CliError(`${file}: cannot read rows ${next + 1}-${groupEnd} of column '${name}'`);
    }
    groupStart = groupEnd;
    options.onProgress?.(groupStart, total ? groupStart / total : 1);
  }
  return { rows: groupStart, builders, firstNonNumeric };
}

function readError(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`File not found: ${file}`);
  if (code === 'EISDIR') return new CliError(`${file} is a directory, not a file`);
  if (code === 'EACCES') return new CliError(`Permission denied reading ${file}`);
  return new CliError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}
