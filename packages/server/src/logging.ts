/**
 * Log output. Operators get one JSON object per line (pino's format); a person running
 * Vigil in a terminal gets short readable lines instead, from the same log records.
 */
import type { Writable } from 'node:stream';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'reqId', 'v']);

/** Formats one pino JSON line as `HH:MM:SS LEVEL message key=value …`. */
export function formatLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(typeof record.time === 'number' ? record.time : Date.now())
    .toISOString()
    .slice(11, 19);
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level);
  const extras = Object.entries(record)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => {
      if (key === 'err' && value && typeof value === 'object') {
        const err = value as { message?: string; stack?: string };
        return `\n${err.stack ?? err.message ?? JSON.stringify(value)}`;
      }
      return ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join('');
  return `${time} ${level} ${String(record.msg ?? '')}${extras}\n`;
}

/** A stream pino can write to that prints readable lines on `target`. */
export function readableLogStream(target: Writable): { write(chunk: string): void } {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim() !== '') target.write(formatLogLine(line));
    },
  };
}
