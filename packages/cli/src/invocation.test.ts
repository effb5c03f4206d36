/**
 * The `vigil` command as a user runs it, in a child process: `npx vigil` from the repository
 * root (the documented invocation after `npm start`), and what a real process does when the
 * server cannot be reached.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcessTestTimeout, startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(1) });

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));

let dir: string;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-invocation-'));
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: repoRoot, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

/** A local port that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the vigil command in a child process', () => {
  it('runs as the README writes it: `npx vigil` from the repository root', async () => {
    expect((await server.api('/api/v1/models', { json: { name: 'npx', task: 'regression' } })).status).toBe(
      201,
    );
    const csv = join(dir, 'npx.csv');
    await writeFile(csv, 'id,x,prediction\na,1,2.5\nb,2,3.5\n');
    const ingest = await run(
      'npx',
      ['--no-install', 'vigil', 'ingest', csv, '--model', 'npx', '--url', server.url],
      {
        VIGIL_API_KEY: server.adminKey,
      },
    );
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/^predictions → model 'npx': 2 accepted, 0 rejected/);
  });

  it('says it cannot reach the server, retries, and exits 2 when the server stays unreachable', async () => {
    const csv = join(dir, 'down.csv');
    await writeFile(csv, 'id,x,prediction\na,1,2\n');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await run(
      process.execPath,
      [
        '--conditions=vigil-source',
        '--import',
        'tsx',
        mainScript,
        'ingest',
        csv,
        '-m',
        'm',
        '--url',
        url,
        '--retries',
        '2',
      ],
      { VIGIL_API_KEY: 'vk_whatever_key_0123' },
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cannot reach the server \(fetch failed.*\); retry 1 of 2 in \d\.\d s$/);
    expect(lines[1]).toMatch(/^cannot reach the server .*; retry 2 of 2 in \d\.\d s$/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^error: Cannot reach the Vigil server at ${url}/ \\(3 attempts\\): .*Is it running \\(vigil start\\), and is --url right\\?$`,
      ),
    );
    expect(lines).toHaveLength(3);
  });

  it('stops quietly when its reader closes the pipe early (`vigil --help | head -1`)', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=vigil-source', '--import', 'tsx', mainScript, 'promote', '--help'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Close the pipe as `head -1` does: after the first chunk, before the rest is written.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
