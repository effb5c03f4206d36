import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  process: ChildProcess;
  url: string;
  output: () => string;
}

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * How long a child process may take to start: tsx compiles the sources on the way, which on
 * a machine busy with other test files can take tens of seconds. A healthy start never waits
 * this long, so the only cost of generosity is a slower report of a start that hangs.
 */
export const CHILD_START_TIMEOUT_MS = 120_000;

/**
 * The timeout of a test that starts `starts` child processes (servers, the CLI, scripts) one
 * after another: each may take the whole start-up time, and `workMs` is left for the rest.
 */
export function childProcessTestTimeout(starts: number, workMs = 60_000): number {
  return starts * CHILD_START_TIMEOUT_MS + workMs;
}

/**
 * Starts `node <script>` from source (TypeScript through tsx) with `env`, and waits
 * for its `READY <url>` line. With `VIGIL_CHILD_CPU_PROFILE_DIR` set, the child writes a
 * CPU profile there when it exits (for profiling benchmarks).
 */
export function spawnNodeScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = CHILD_START_TIMEOUT_MS,
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.VIGIL_CHILD_CPU_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VIGIL_CHILD_CPU_PROFILE_DIR}`]
        : []),
      '--conditions=vigil-source',
      '--import',
      'tsx',
      script,
      ...args,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not become ready in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\S+)/.exec(output) ?? /Vigil is running on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ process: child, url: match[1]!, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/**
 * Stops `child` with `signal` (SIGTERM, a clean shutdown, unless told otherwise) and returns its
 * exit code. The signal is sent before the first await, so a caller may start other work and
 * await the exit later.
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

/**
 * The environment of a server in a child process: its data folder and admin key, a free port of
 * 127.0.0.1, warnings and errors logged; `extra` adds settings or overrides these.
 */
export function childServerEnv(
  dataDir: string,
  adminKey: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_PORT: '0',
    VIGIL_HOST: '127.0.0.1',
    VIGIL_ADMIN_KEY: adminKey,
    VIGIL_LOG_LEVEL: 'warn',
    ...extra,
  };
}

export const CHILD_SERVER_SCRIPT = fileURLToPath(new URL('./child-server.ts', import.meta.url));
