import type { LabelMatcher } from '@vigil/sdk';
import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { connect, inheritIo, request, type ServerFlags, serverOptions, table } from '../server-api.js';

/** `feature=~"age|income"`, `model=fraud`, `severity!=info`. */
export function parseMatcher(text: string): LabelMatcher {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(=~|!~|!=|=)(.*)$/.exec(text.trim());
  if (!match) {
    throw new CliError(
      `--match must look like label=value, label!=value, label=~regex or label!~regex; got '${text}'`,
    );
  }
  let value = match[3]!;
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    // A value that opens a quote must close it: a lost quote would otherwise match literally.
    if (value.length < 2 || !value.endsWith(quote)) {
      throw new CliError(`--match: the value of '${text}' opens a ${quote} that is not closed`);
    }
    value = value.slice(1, -1);
  }
  return { label: match[1]!, op: match[2] as LabelMatcher['op'], value };
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90s`, `30m`, `2h`, `1d`, `1w` → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) {
    throw new CliError(`--duration must be a number and a unit (s, m, h, d, w), e.g. 2h; got '${text}'`);
  }
  return Number(match[1]) * UNITS[match[2]!]!;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command, io: CliIo): void {
  const silence = program
    .command('silence')
    .summary('add, list and expire silences')
    .description(
      'Silence notifications of alerts matching label matchers for a while (they still change state).',
    );

  serverOptions(
    silence
      .command('add')
      .description('Add a silence.')
      .requiredOption(
        '--match <matcher>',
        'label matcher, e.g. model=fraud or feature=~"age|income" (repeatable)',
        collect,
      )
      .option('--duration <duration>', 'how long, e.g. 30m, 2h, 1d', '2h')
      .option('--start <time>', 'when it starts (ISO-8601; default now)')
      .requiredOption('--comment <text>', 'why, e.g. "planned retrain" (required)')
      .option('--created-by <name>', 'who (default: the API key)'),
  ).action(
    async (
      flags: ServerFlags & {
        match: string[];
        duration: string;
        start?: string;
        comment: string;
        createdBy?: string;
      },
    ) => {
      const matchers = flags.match.map(parseMatcher);
      const duration = parseDuration(flags.duration);
      const api = connect(flags, io);
      const created = await request(() =>
        api.createSilence({
          matchers,
          duration_seconds: duration,
          comment: flags.comment,
          ...(flags.start ? { starts_at: flags.start } : {}),
          ...(flags.createdBy ? { created_by: flags.createdBy } : {}),
        }),
      );
      io.stdout.write(
        `Silence ${created.id} ${created.state} from ${created.starts_at} until ${created.ends_at}.\n`,
      );
    },
  );

  serverOptions(
    silence
      .command('list')
      .description('List silences, newest first.')
      .addOption(
        new Option('--state <state>', 'which silences')
          .choices(['active', 'pending', 'expired', 'all'])
          .default('active'),
      )
      .option('--json', 'print the silences as JSON'),
  ).action(
    async (flags: ServerFlags & { state: 'active' | 'pending' | 'expired' | 'all'; json?: boolean }) => {
      const api = connect(flags, io);
      const silences = await request(() => api.listSilences(flags.state));
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(silences, null, 2)}\n`);
        return;
      }
      if (silences.length === 0) {
        io.stdout.write(`No ${flags.state === 'all' ? '' : `${flags.state} `}silences.\n`);
        return;
      }
      const rows = silences.map((s) => [
        String(s.id),
        s.state,
        s.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(','),
        s.ends_at,
        s.created_by,
        s.comment,
      ]);
      io.stdout.write(table(['ID', 'STATE', 'MATCHERS', 'ENDS', 'BY', 'COMMENT'], rows));
    },
  );

  serverOptions(
    silence.command('expire').description('End silences now.').argument('<id...>', 'silence ids'),
  ).action(async (ids: string[], flags: ServerFlags) => {
    const api = connect(flags, io);
    for (const text of ids) {
      const id = Number(text);
      if (!Number.isInteger(id) || id < 1)
        throw new CliError(`silence id must be a whole number >= 1; got '${text}'`);
      const expired = await request(() => api.expireSilence(id));
      io.stdout.write(`Silence ${expired.id} expired at ${expired.ends_at}.\n`);
    }
  });
  inheritIo(silence, io);
}
