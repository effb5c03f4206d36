/** Test helper: runs `vigil` in-process and captures what it writes. */
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

/** Runs `vigil argv` with `env` as its whole environment and `cwd` as its folder. */
export async function runVigil(argv: string[], env: Record<string, string | undefined>, cwd: string) {
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdout, stderr, env, cwd };
  const code = await run(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
