/** `vigil monitors`, `vigil results` and `vigil health`: what the monitors watch and what they found. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type {
  CreateMonitorRequest,
  Monitor,
  MonitorConfig,
  MonitorKind,
  MonitorResult,
  ResultStatus,
} from '@vigil/sdk';
import { MONITOR_KINDS, RESULT_STATUSES, WINDOW_SIZES, type WindowSize } from '@vigil/server/domain';
import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { connect, inheritIo, request, type ServerFlags, serverOptions, table } from '../server-api.js';

const WINDOWS = Object.keys(WINDOW_SIZES) as WindowSize[];

interface ModelFlags extends ServerFlags {
  model: string;
}

interface CreateFlags extends ModelFlags {
  name: string;
  file?: string;
  kind?: MonitorKind;
  window?: WindowSize;
  features?: string;
  disabled?: boolean;
}

interface ResultFlags extends ModelFlags {
  monitor?: string;
  feature?: string;
  metric?: string;
  status?: ResultStatus;
  from?: string;
  to?: string;
  limit: string;
  json?: boolean;
}

function parseLimit(text: string, max: number): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new CliError(`--limit must be a whole number from 1 to ${max}; got '${text}'`);
  }
  return limit;
}

/** The definition from `--file` (a config, or a whole `{name?, enabled?, config}` body) or from the flags. */
async function monitorBody(flags: CreateFlags, io: CliIo): Promise<CreateMonitorRequest> {
  if (flags.file !== undefined && flags.kind !== undefined) {
    throw new CliError('give either --file or --kind, not both');
  }
  if (flags.file !== undefined) {
    const path = resolve(io.cwd, flags.file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read --file ${flags.file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CliError(`--file ${flags.file} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CliError(`--file ${flags.file} must hold a JSON object: a monitor config with "kind"`);
    }
    const object = parsed as Record<string, unknown>;
    const body: CreateMonitorRequest =
      'config' in object
        ? { ...(object as unknown as CreateMonitorRequest), name: flags.name }
        : { name: flags.name, config: object as MonitorConfig };
    if (flags.disabled) body.enabled = false;
    return body;
  }
  if (flags.kind === undefined) {
    throw new CliError('give the definition with --file def.json, or --kind (with --window, --features)');
  }
  const config: Record<string, unknown> = { kind: flags.kind };
  if (flags.window !== undefined) config.window = { size: flags.window };
  if (flags.features !== undefined) {
    config.features = flags.features
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
  }
  // A kind that needs more than these flags is refused by the server, which says what is missing.
  return { name: flags.name, config: config as MonitorConfig, ...(flags.disabled ? { enabled: false } : {}) };
}

function windowOf(config: Monitor['config']): string {
  const window = config.window;
  if ('size' in window) return window.size;
  return `last ${window.last_n}`;
}

function formatNumber(value: number | null): string {
  if (value === null) return '';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : value.toFixed(4);
}

function thresholdOf(r: MonitorResult): string {
  const lower = r.threshold_lower === null ? null : `>= ${formatNumber(r.threshold_lower)}`;
  const upper = r.threshold_upper === null ? null : `<= ${formatNumber(r.threshold_upper)}`;
  return [lower, upper].filter((t) => t !== null).join(', ');
}

export function register(program: Command, io: CliIo): void {
  const monitors = program
    .command('monitors')
    .summary('list, create, enable, disable and delete monitors')
    .description('The monitors of a model: list them, create one, pause, resume or delete it.');

  serverOptions(
    monitors
      .command('list', { isDefault: true })
      .description("List a model's monitors.")
      .requiredOption('-m, --model <name>', 'the model')
      .option('--json', 'print the monitors as JSON'),
  ).action(async (flags: ModelFlags & { json?: boolean }) => {
    const api = connect(flags, io);
    const list = await request(() => api.listMonitors(flags.model));
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (list.length === 0) {
      io.stdout.write(
        `Model ${flags.model} has no monitors yet (the defaults come with its first reference data).\n`,
      );
      return;
    }
    const rows = list.map((m) => [
      m.name,
      m.kind,
      m.enabled ? 'enabled' : 'disabled',
      windowOf(m.config),
      m.is_default ? 'yes' : 'no',
      String(m.pending_windows),
    ]);
    io.stdout.write(table(['NAME', 'KIND', 'STATE', 'WINDOW', 'DEFAULT', 'PENDING'], rows));
  });

  serverOptions(
    monitors
      .command('create')
      .description(
        'Create a monitor from a JSON definition (--file) or, for the simple cases, from --kind and --window. Its history is evaluated at once.',
      )
      .requiredOption('-m, --model <name>', 'the model')
      .requiredOption('-n, --name <name>', 'name of the monitor')
      .option('-f, --file <path>', 'JSON file with the monitor config (see docs/alerting.md)')
      .addOption(new Option('--kind <kind>', 'what to watch').choices(MONITOR_KINDS))
      .addOption(new Option('--window <size>', 'tumbling window size').choices(WINDOWS))
      .option('--features <list>', 'comma-separated features (drift and data quality; all by default)')
      .option('--disabled', 'create it disabled'),
  ).action(async (flags: CreateFlags) => {
    const body = await monitorBody(flags, io);
    const api = connect(flags, io);
    const monitor = await request(() => api.createMonitor(flags.model, body));
    io.stdout.write(
      `Created monitor ${monitor.name} (${monitor.kind}, ${windowOf(monitor.config)}) on ${flags.model}` +
        `${monitor.enabled ? '' : ', disabled'}; ${monitor.pending_windows} window(s) queued for evaluation.\n`,
    );
  });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    serverOptions(
      monitors
        .command(verb)
        .description(enabled ? 'Resume monitors.' : 'Pause monitors: no evaluation, no alerts, results kept.')
        .argument('<name...>', 'monitor names')
        .requiredOption('-m, --model <name>', 'the model'),
    ).action(async (names: string[], flags: ModelFlags) => {
      const api = connect(flags, io);
      for (const name of names) {
        const monitor = await request(() => api.updateMonitor(flags.model, name, { enabled }));
        io.stdout.write(`${enabled ? 'Enabled' : 'Disabled'} monitor ${monitor.name} on ${flags.model}.\n`);
      }
    });
  }

  serverOptions(
    monitors
      .command('delete')
      .description('Delete monitors and their results.')
      .argument('<name...>', 'monitor names')
      .requiredOption('-m, --model <name>', 'the model'),
  ).action(async (names: string[], flags: ModelFlags) => {
    const api = connect(flags, io);
    for (const name of names) {
      await request(() => api.deleteMonitor(flags.model, name));
      io.stdout.write(`Deleted monitor ${name} of ${flags.model}.\n`);
    }
  });
  inheritIo(monitors, io);

  serverOptions(
    program
      .command('results')
      .summary("show a model's monitor results")
      .description(
        'Monitor results in window order: one row per monitor, window, feature and metric. --from is inclusive, --to exclusive (ISO-8601 or epoch milliseconds).',
      )
      .requiredOption('-m, --model <name>', 'the model')
      .option('--monitor <name>', 'only this monitor')
      .option('--feature <name>', 'only this feature')
      .option('--metric <name>', 'only this metric')
      .addOption(new Option('--status <status>', 'only this status').choices(RESULT_STATUSES))
      .option('--from <time>', 'windows starting at or after')
      .option('--to <time>', 'windows starting before')
      .option('--limit <n>', 'at most this many rows', '200')
      .option('--json', 'print the results as JSON'),
  ).action(async (flags: ResultFlags) => {
    const limit = parseLimit(flags.limit, 100_000);
    const api = connect(flags, io);
    const query = {
      limit: Math.min(limit + 1, 10_000),
      ...(flags.monitor ? { monitor: flags.monitor } : {}),
      ...(flags.feature ? { feature: flags.feature } : {}),
      ...(flags.metric ? { metric: flags.metric } : {}),
      ...(flags.status ? { status: flags.status } : {}),
      ...(flags.from ? { from: flags.from } : {}),
      ...(flags.to ? { to: flags.to } : {}),
    };
    const results: MonitorResult[] = [];
    let more = false;
    await request(async () => {
      for await (const result of api.results(flags.model, query)) {
        if (results.length === limit) {
          more = true;
          break;
        }
        results.push(result);
      }
    });
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else if (results.length === 0) {
      io.stdout.write('No results.\n');
    } else {
      const rows = results.map((r) => [
        r.window_start,
        r.monitor,
        r.feature ?? '',
        r.metric,
        formatNumber(r.value),
        thresholdOf(r),
        String(r.sample_size),
        r.status,
        r.reason ?? '',
      ]);
      io.stdout.write(
        table(
          ['WINDOW', 'MONITOR', 'FEATURE', 'METRIC', 'VALUE', 'THRESHOLD', 'N', 'STATUS', 'REASON'],
          rows,
        ),
      );
    }
    if (more) {
      io.stderr.write(`(showing the first ${limit}; narrow with --from/--to or raise --limit)\n`);
    }
  });

  serverOptions(
    program
      .command('health')
      .summary("every model's current status")
      .description('The worst current status of every model, its alerting monitors and its last prediction.')
      .option('--json', 'print the summary as JSON'),
  ).action(async (flags: ServerFlags & { json?: boolean }) => {
    const api = connect(flags, io);
    const health = await request(() => api.modelHealth());
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(health, null, 2)}\n`);
      return;
    }
    if (health.length === 0) {
      io.stdout.write('No models.\n');
      return;
    }
    const rows = health.map((h) => [
      h.model,
      h.status,
      Object.entries(h.monitors)
        .map(([status, n]) => `${n} ${status}`)
        .join(', '),
      h.alerting_monitors.join(', '),
      h.last_prediction_at ?? 'never',
    ]);
    io.stdout.write(table(['MODEL', 'STATUS', 'MONITORS', 'ALERTING', 'LAST PREDICTION'], rows));
  });
}
