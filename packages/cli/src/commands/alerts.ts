import type { Alert } from '@vigil/sdk';
import { ALERT_STATES, SEVERITIES } from '@vigil/server/domain';
import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { connect, inheritIo, request, type ServerFlags, serverOptions, table } from '../server-api.js';

interface ListFlags extends ServerFlags {
  model?: string;
  state?: Alert['state'];
  severity?: 'info' | 'warning' | 'critical';
  limit: string;
  json?: boolean;
  inhibited?: boolean;
}

function parseId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1)
    throw new CliError(`alert id must be a whole number >= 1; got '${text}'`);
  return id;
}

export function register(program: Command, io: CliIo): void {
  const alerts = program
    .command('alerts')
    .summary('list and acknowledge alerts')
    .description('List alerts (newest first) and acknowledge them.');

  serverOptions(
    alerts
      .command('list', { isDefault: true })
      .description('List alerts, newest first.')
      .option('-m, --model <name>', 'only this model')
      .addOption(new Option('--state <state>', 'only this state').choices(ALERT_STATES))
      .addOption(new Option('--severity <severity>', 'only this severity').choices(SEVERITIES))
      .option('--limit <n>', 'how many', '50')
      .option('--inhibited', 'list inhibited alerts too (the table hides them, as the dashboard does)')
      .option('--json', 'print the alerts as JSON (inhibited ones included)'),
  ).action(async (flags: ListFlags) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new CliError(`--limit must be a whole number from 1 to 1000; got '${flags.limit}'`);
    }
    const api = connect(flags, io);
    const page = await request(() =>
      api.listAlerts({
        limit,
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.state ? { state: flags.state } : {}),
        ...(flags.severity ? { severity: flags.severity } : {}),
      }),
    );
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(page.data, null, 2)}\n`);
      return;
    }
    // An inhibited alert is the quieter twin of one listed (a warning under its critical).
    const inhibited = (a: (typeof page.data)[number]) => (a.inhibited_by ?? []).length > 0;
    const shown = flags.inhibited ? page.data : page.data.filter((a) => !inhibited(a));
    const hidden = page.data.length - shown.length;
    const hiddenNote = hidden > 0 ? `${hidden} inhibited alert(s) not shown (--inhibited lists them).\n` : '';
    if (shown.length === 0) {
      io.stdout.write(`No alerts.\n${hiddenNote}`);
      return;
    }
    const rows = shown.map((a) => [
      String(a.id),
      a.state +
        (a.silenced_by.length > 0 ? ' (silenced)' : '') +
        ((a.inhibited_by ?? []).length > 0 ? ' (inhibited)' : '') +
        (a.acknowledged_at ? ' (acked)' : ''),
      a.severity,
      a.labels.model ?? '',
      a.labels.monitor ?? '',
      a.labels.feature ?? '',
      a.annotations.description ?? a.annotations.summary ?? '',
    ]);
    io.stdout.write(table(['ID', 'STATE', 'SEVERITY', 'MODEL', 'MONITOR', 'FEATURE', 'DESCRIPTION'], rows));
    io.stdout.write(hiddenNote);
  });

  serverOptions(
    alerts
      .command('ack')
      .description('Acknowledge alerts: no repeat notifications while a group is all acknowledged.')
      .argument('<id...>', 'alert ids')
      .option('--by <name>', 'who acknowledges (default: the API key)'),
  ).action(async (ids: string[], flags: ServerFlags & { by?: string }) => {
    const api = connect(flags, io);
    for (const id of ids.map(parseId)) {
      const alert = await request(() => api.acknowledgeAlert(id, flags.by));
      io.stdout.write(`Acknowledged alert ${alert.id} (${alert.state}) as ${alert.acknowledged_by}.\n`);
    }
  });
  inheritIo(alerts, io);
}
