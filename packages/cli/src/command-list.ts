/**
 * Every command file and the top-level commands it registers, as `vigil --help` lists them, so
 * the program names every command but loads only the file of the one it runs (most import the
 * SDK and its Arrow reader: `vigil --help` and `--version` load none). A test checks that this
 * list says what the files register.
 */
import type { CommandModule } from './io.js';

export interface CommandFile {
  /** The file's name in `commands/`, without extension. */
  file: string;
  load: () => Promise<CommandModule>;
  /** Its top-level commands: usage term and one-line summary, as in `vigil --help`. */
  commands: { term: string; summary: string }[];
}

export const COMMAND_FILES: readonly CommandFile[] = [
  {
    file: 'alerts',
    load: () => import('./commands/alerts.js'),
    commands: [{ term: 'alerts', summary: 'list and acknowledge alerts' }],
  },
  {
    file: 'audit',
    load: () => import('./commands/audit.js'),
    commands: [{ term: 'audit [options]', summary: 'show the audit trail: who changed what, and when' }],
  },
  {
    file: 'backup',
    load: () => import('./commands/backup.js'),
    commands: [
      {
        term: 'backup [options] <file-or-dir>',
        summary: 'back up a running server into one file',
      },
    ],
  },
  {
    file: 'channels',
    load: () => import('./commands/channels.js'),
    commands: [{ term: 'channels', summary: 'list, create and test notification channels; see deliveries' }],
  },
  {
    file: 'compare',
    load: () => import('./commands/compare.js'),
    commands: [
      {
        term: 'compare [options] <model> <a> <b>',
        summary: 'compare two versions of a model on the same prediction ids',
      },
    ],
  },
  {
    file: 'demo',
    load: () => import('./commands/demo.js'),
    commands: [{ term: 'demo [options]', summary: 'start (or remove) the demo model' }],
  },
  {
    file: 'ingest',
    load: () => import('./commands/ingest.js'),
    commands: [
      { term: 'ingest [options] <file>', summary: 'send predictions, labels or reference data from a file' },
    ],
  },
  {
    file: 'keys',
    load: () => import('./commands/keys.js'),
    commands: [{ term: 'keys', summary: 'create API keys in a data folder (server stopped)' }],
  },
  {
    file: 'monitors',
    load: () => import('./commands/monitors.js'),
    commands: [
      { term: 'monitors', summary: 'list, create, enable, disable and delete monitors' },
      { term: 'results [options]', summary: "show a model's monitor results" },
      { term: 'health [options]', summary: "every model's current status" },
    ],
  },
  {
    file: 'promote',
    load: () => import('./commands/promote.js'),
    commands: [
      {
        term: 'promote [options] <model> <alias> <version>',
        summary: 'point an alias at a version if it passes the promotion gate',
      },
    ],
  },
  {
    file: 'report',
    load: () => import('./commands/report.js'),
    commands: [
      {
        term: 'report [options]',
        summary: 'compare a data set with a reference and write an HTML drift report',
      },
    ],
  },
  {
    file: 'restore',
    load: () => import('./commands/restore.js'),
    commands: [
      {
        term: 'restore [options] <backup>',
        summary: 'restore a backup into a data folder (server stopped)',
      },
    ],
  },
  {
    file: 'silence',
    load: () => import('./commands/silence.js'),
    commands: [{ term: 'silence', summary: 'add, list and expire silences' }],
  },
  {
    file: 'start',
    load: () => import('./commands/start.js'),
    commands: [{ term: 'start [options]', summary: 'start the Vigil server' }],
  },
  {
    file: 'users',
    load: () => import('./commands/users.js'),
    commands: [{ term: 'users', summary: 'list, create, change and delete users; reset a password offline' }],
  },
];

const nameOf = (term: string) => term.split(' ', 1)[0]!;

/**
 * The command files `argv` needs: the one registering the command it names (`vigil compare …`,
 * `vigil help compare`), or none for help, the version or a name no file registers.
 */
export function commandFilesFor(argv: readonly string[]): CommandFile[] {
  // Top-level options take no value, so the first word that is not an option is the command.
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  const file = COMMAND_FILES.find((f) => f.commands.some((c) => nameOf(c.term) === name));
  return file ? [file] : [];
}

export { nameOf as commandName };
