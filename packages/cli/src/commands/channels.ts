/** `vigil channels`: notification channels, a test notification, and the delivery history. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Channel, ChannelType, CreateChannelRequest, Delivery, DeliveryStatus } from '@vigil/sdk';
import { CHANNEL_TYPES, DELIVERY_STATUSES } from '@vigil/server/domain';
import { type Command, Option } from 'commander';
import { CliError, type CliIo, ExitCode } from '../io.js';
import { connect, inheritIo, request, type ServerFlags, serverOptions, table } from '../server-api.js';

interface CreateFlags extends ServerFlags {
  type: ChannelType;
  endpoint?: string;
  routingKey?: string;
  to?: string[];
  config?: string;
  configFile?: string;
  disabled?: boolean;
  json?: boolean;
}

interface DeliveryFlags extends ServerFlags {
  channel?: string;
  status?: DeliveryStatus;
  limit: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function parseObject(text: string, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${where} must hold a JSON object, e.g. {"url": "https://…"}`);
  }
  return parsed as Record<string, unknown>;
}

/** The channel's settings: `--config` / `--config-file` (JSON), then the shortcut flags over them. */
export async function channelConfig(flags: CreateFlags, io: CliIo): Promise<Record<string, unknown>> {
  if (flags.config !== undefined && flags.configFile !== undefined) {
    throw new CliError('give either --config or --config-file, not both');
  }
  let config: Record<string, unknown> = {};
  if (flags.config !== undefined) config = parseObject(flags.config, '--config');
  if (flags.configFile !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, flags.configFile), 'utf8');
    } catch (error) {
      throw new CliError(`cannot read --config-file ${flags.configFile}: ${(error as Error).message}`);
    }
    config = parseObject(text, `--config-file ${flags.configFile}`);
  }
  if (flags.endpoint !== undefined) {
    if (flags.type === 'email') throw new CliError('--endpoint does not apply to e-mail channels; use --to');
    config.url = flags.endpoint;
  }
  if (flags.routingKey !== undefined) {
    if (flags.type !== 'pagerduty') throw new CliError('--routing-key applies to pagerduty channels only');
    config.routing_key = flags.routingKey;
  }
  if (flags.to !== undefined) {
    if (flags.type !== 'email') throw new CliError('--to applies to email channels only');
    config.to = flags.to
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return config;
}

/** The setting that says where a channel sends, for listings. */
function target(channel: Channel): string {
  const c = channel.config;
  if (Array.isArray(c.to)) return c.to.join(', ');
  if (typeof c.url === 'string') return c.url;
  return '';
}

function deliveryRows(deliveries: Delivery[]): string[][] {
  return deliveries.map((d) => [
    String(d.id),
    d.channel ?? `#${d.channel_id}`,
    d.status,
    String(d.attempts),
    d.created_at,
    d.dedup_key,
    d.last_error ?? '',
  ]);
}
const DELIVERY_HEADER = ['ID', 'CHANNEL', 'STATUS', 'ATTEMPTS', 'CREATED', 'KEY', 'LAST ERROR'];

export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const channels = program
    .command('channels')
    .summary('list, create and test notification channels; see deliveries')
    .description(
      'Notification channels (webhook, Slack, e-mail, PagerDuty, retraining webhook), a test notification per channel, and the delivery history of the outbox.',
    );

  serverOptions(
    channels
      .command('list', { isDefault: true })
      .description('List the channels (secrets masked).')
      .option('--json', 'print the channels as JSON'),
  ).action(async (flags: ServerFlags & { json?: boolean }) => {
    const api = connect(flags, io);
    const list = await request(() => api.listChannels());
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (list.length === 0) {
      io.stdout.write(
        'No channels. Create one, e.g.: vigil channels create ops --type webhook --endpoint https://example.com/hook\n',
      );
      return;
    }
    io.stdout.write(
      table(
        ['NAME', 'TYPE', 'ENABLED', 'TARGET'],
        list.map((c) => [c.name, c.type, c.enabled ? 'yes' : 'no', target(c)]),
      ),
    );
  });

  serverOptions(
    channels
      .command('create')
      .description(
        'Create a channel. Settings come from --config or --config-file (JSON, see docs/alerting.md), with the shortcut flags on top.',
      )
      .argument('<name>', 'channel name')
      .addOption(new Option('--type <type>', 'channel type').choices(CHANNEL_TYPES).makeOptionMandatory())
      .option('--endpoint <url>', 'where to send: webhook, Slack, retraining webhook or PagerDuty events URL')
      .option('--routing-key <key>', 'PagerDuty: the integration (routing) key')
      .option('--to <address>', 'e-mail: a recipient (repeatable, or comma-separated)', collect)
      .option('--config <json>', 'settings as a JSON object')
      .option('--config-file <path>', 'settings from a JSON file')
      .option('--disabled', 'create it disabled')
      .option('--json', 'print the created channel as JSON'),
  ).action(async (name: string, flags: CreateFlags) => {
    const config = await channelConfig(flags, io);
    const api = connect(flags, io);
    const channel = await request(() =>
      // The server checks the settings against the type and names what is missing or wrong.
      api.createChannel({
        name,
        type: flags.type,
        config,
        ...(flags.disabled ? { enabled: false } : {}),
      } as CreateChannelRequest),
    );
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(channel, null, 2)}\n`);
      return;
    }
    io.stdout.write(`Created ${channel.type} channel "${channel.name}" (id ${channel.id}).\n`);
    if (channel.secret) {
      io.stdout.write(`Signing secret (shown once; verify X-Vigil-Signature with it): ${channel.secret}\n`);
    }
  });

  serverOptions(
    channels
      .command('test')
      .description('Send a test notification now, without retries, and say how it went.')
      .argument('<channel>', 'channel name or id')
      .option('--json', 'print the delivery as JSON'),
  ).action(async (channel: string, flags: ServerFlags & { json?: boolean }) => {
    const api = connect(flags, io);
    const result = await request(() => api.testChannel(channel));
    if (flags.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.ok) io.stdout.write(`Test notification to "${result.channel}" delivered.\n`);
    else
      io.stdout.write(
        `Test notification to "${result.channel}" failed: ${result.last_error ?? result.status}\n`,
      );
    if (!result.ok) setExitCode(ExitCode.partial);
  });

  serverOptions(
    channels
      .command('deliveries')
      .description('The delivery history, newest first: status, attempts and the last error.')
      .option('-c, --channel <channel>', 'only this channel (name or id)')
      .addOption(new Option('--status <status>', 'only this status').choices(DELIVERY_STATUSES))
      .option('--limit <n>', 'how many', '50')
      .option('--json', 'print the deliveries as JSON'),
  ).action(async (flags: DeliveryFlags) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new CliError(`--limit must be a whole number from 1 to 1000; got '${flags.limit}'`);
    }
    const api = connect(flags, io);
    const page = await request(() =>
      api.listDeliveries({
        limit,
        ...(flags.channel !== undefined ? { channel: flags.channel } : {}),
        ...(flags.status !== undefined ? { status: flags.status } : {}),
      }),
    );
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(page.data, null, 2)}\n`);
      return;
    }
    if (page.data.length === 0) {
      io.stdout.write('No deliveries.\n');
      return;
    }
    io.stdout.write(table(DELIVERY_HEADER, deliveryRows(page.data)));
  });
  inheritIo(channels, io);
}
