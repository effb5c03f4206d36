/** Test helper: runs `vigil` in-process and captures what it writes. */
import { Readable } from 'node:stream';
import type { CliIo, OutputStream } from './io.js';
import { run } from './program.js';

export function capture(): OutputStream & { text: string } {
  const stream = {
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

/** Runs `vigil argv` with `env` as its whole environment, `cwd` as its folder and `stdin` as its input. */
export async function runVigil(
  argv: string[],
  env: Record<string, string | undefined>,
  cwd: string,
  stdin?: string,
) {
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = {
    stdout,
    stderr,
    env,
    cwd,
    ...(stdin !== undefined ? { stdin: Readable.from([stdin]) } : {}),
  };
  const code = await run(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
