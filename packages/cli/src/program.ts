import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Help } from 'commander';
import { COMMAND_FILES, type CommandFile, commandFilesFor, commandName } from './command-list.js';
import { CliError, type CliIo, type CommandModule, ExitCode } from './io.js';

const ownExtension = extname(fileURLToPath(import.meta.url));

/**
 * Every command module in `commands/`: each file there (`ingest.js`, `start.js`...) exports
 * `register` (see {@link CommandModule}). `vigil` itself loads them one at a time through
 * command-list.ts, which names each file's commands (a test holds the two to agree).
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

/**
 * The `vigil` program with the given commands; it never exits the process itself. The commands
 * of `listed` files that `commands` do not register are named and summarised for the help only.
 */
export function createProgram(
  io: CliIo,
  commands: readonly CommandModule[],
  setExitCode: (code: number) => void,
  listed: readonly CommandFile[] = [],
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
  const terms = new Map<Command, string>();
  for (const { term, summary } of listed.flatMap((file) => file.commands)) {
    if (program.commands.some((command) => command.name() === commandName(term))) continue;
    terms.set(program.command(commandName(term)).description(summary), term);
  }
  if (terms.size > 0) {
    const help = new Help();
    program.configureHelp({
      subcommandTerm: (command) => terms.get(command) ?? help.subcommandTerm(command),
    });
  }
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}

/**
 * Runs `vigil` with `argv` (without the node and script paths) and resolves with the exit code.
 * Without `commands`, only the file of the command `argv` names is loaded.
 */
export async function run(
  argv: readonly string[],
  io: CliIo,
  commands?: readonly CommandModule[],
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const program = commands
    ? createProgram(io, commands, setExitCode)
    : createProgram(
        io,
        await Promise.all(commandFilesFor(argv).map((file) => file.load())),
        setExitCode,
        COMMAND_FILES,
      );
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
