/** What the commands that talk to a running server share: where it is, the key, and errors. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VigilApi, VigilError } from '@vigil/sdk';
import type { Command } from 'commander';
import { defaultUrl } from './ingest/config.js';
import { CliError, type CliIo } from './io.js';

export interface ServerFlags {
  url?: string;
  apiKey?: string;
}

/** Adds `--url` and `--api-key` to a command. */
export function serverOptions(command: Command): Command {
  return command
    .option('--url <url>', `Vigil server URL (default: $VIGIL_URL or ${defaultUrl})`)
    .option('--api-key <key>', 'API key (default: $VIGIL_API_KEY, then the local admin key)');
}

/** A client for the server: key from --api-key, $VIGIL_API_KEY, or the local admin key file. */
export function connect(flags: ServerFlags, io: CliIo): VigilApi {
  const urlText = flags.url ?? io.env.VIGIL_URL ?? defaultUrl;
  let url: URL;
  try {
    url = new URL(urlText);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError(`--url must be an http(s) URL such as ${defaultUrl}; got '${urlText}'`);
  }
  let apiKey = flags.apiKey || io.env.VIGIL_API_KEY || undefined;
  if (!apiKey && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    try {
      apiKey = readFileSync(
        resolve(io.cwd, io.env.VIGIL_DATA_DIR || 'vigil-data', 'admin.key'),
        'utf8',
      ).trim();
    } catch {
      // No local key: the server answers 401 and the message says how to pass one.
    }
  }
  return new VigilApi({ url: url.href, ...(apiKey ? { apiKey } : {}), maxRetries: 2 });
}

/** Subcommands end with an error the program handles, and write where the CLI writes, as top-level ones do. */
export function inheritIo(parent: Command, io: CliIo): void {
  for (const command of parent.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
}

/** Runs a request; a refusal or an unreachable server becomes a one-line error (exit code 2). */
export async function request<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof VigilError) throw new CliError(error.message);
    throw error;
  }
}

/** Left-aligned columns, for listings on a terminal. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
