import type { Command } from 'commander';

/** An output stream as the CLI uses it; `process.stdout` and `process.stderr` are ones. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command may take from its environment, given once by `main.ts`. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Environment variables; commands read them only while parsing their options. */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Standard input, for the commands that read a secret from it (`--password-stdin`). */
  stdin?: AsyncIterable<string | Buffer>;
}

/** Exit codes of every command. */
export const ExitCode = {
  ok: 0,
  /** The command ran, but some records were rejected. */
  partial: 1,
  /** The command ran, but a gate refused the change (a promotion's checks): nothing changed. */
  refused: 1,
  /** Bad arguments, unreadable input, server unreachable or refusing the request. */
  fatal: 2,
} as const;

/** A failure with the message to show (without stack) and the exit code to end with. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number = ExitCode.fatal) {
    super(message);
    this.exitCode = exitCode;
  }
}

/**
 * What every module in `src/commands/` exports: a function that adds its command to the program.
 * An action reports a non-zero outcome through `setExitCode` and a failure by throwing a
 * {@link CliError}; it writes only to `io.stdout` and `io.stderr`.
 */
export type RegisterCommand = (program: Command, io: CliIo, setExitCode: (code: number) => void) => void;

export interface CommandModule {
  register: RegisterCommand;
}
