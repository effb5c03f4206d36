import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo, type CommandModule, ExitCode } from './io.js';

const ownExtension = extname(fileURLToPath(import.meta.url));

/**
 * Every command module in `commands/`: each file there (`ingest.js`, `start.js`...) exports
 * `register` (see {@link CommandModule}), so adding a command is adding a file.
 */
export async function loadCommands(
  directory = new URL('./commands/', import.meta.url),
): Promise<CommandModule[]> {
  const files = (await readdir(directory))
    .filter((file) => extname(file) === ownExtension && !/\.(test|d)\.[cm]?[jt]s$/.test(file))
    .sort();
  const modules: CommandModule[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, directory).href)) as Partial<CommandModule>;
    if (typeof module.register === 'function') modules.push(module as CommandModule);
  }
  return modules;
}

/** The `vigil` program with the given commands; it never exits the process itself. */
export function createProgram(
  io: CliIo,
  commands: readonly CommandModule[],
  setExitCode: (code: number) => void,
) {
  const program = new Command('vigil')
    .description('Vigil: open-source model monitoring. Run a command with --help for its options.')
    .version('0.1.0', '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Options after a command name are that command's (`vigil ingest --version v2`).
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  for (const command of commands) command.register(program, io, setExitCode);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}

/** Runs `vigil` with `argv` (without the node and script paths) and resolves with the exit code. */
export async function run(
  argv: readonly string[],
  io: CliIo,
  commands?: readonly CommandModule[],
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = createProgram(io, commands ?? (await loadCommands()), (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; every usage error is a bad-arguments failure.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.fatal;
    }
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.fatal;
  }
}
