import type { Command } from 'commander';
import { defaultUrl } from '../ingest/config.js';
import { CliError, type CliIo } from '../io.js';
import { connect, request, type ServerFlags, serverOptions } from '../server-api.js';

interface DemoFlags extends ServerFlags {
  remove?: boolean;
  hours: string;
  rate: string;
  seed: string;
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}; got '${text}'`);
  }
  return value;
}

export function register(program: Command, io: CliIo): void {
  serverOptions(
    program
      .command('demo')
      .summary('start (or remove) the demo model')
      .description(
        'Registers the sample model demo-churn on a running server, with generated history (a drift episode, ' +
          'a data-quality incident, late labels) and live traffic while the server runs. --remove deletes it.',
      )
      .option('--remove', 'remove everything the demo created')
      .option('--hours <n>', 'hours of history to backfill', '48')
      .option('--rate <n>', 'predictions per hour', '300')
      .option('--seed <n>', 'seed of the generated data', '7'),
  ).action(async (flags: DemoFlags) => {
    const api = connect(flags, io);
    if (flags.remove) {
      const removed = await request(() => api.removeDemo());
      io.stdout.write(removed.length === 0 ? 'No demo to remove.\n' : `Removed ${removed.join(', ')}.\n`);
      return;
    }
    const options = {
      hours: wholeNumber('--hours', flags.hours, 1, 168),
      rate_per_hour: wholeNumber('--rate', flags.rate, 10, 5000),
      seed: wholeNumber('--seed', flags.seed, 0, 2 ** 31 - 1),
    };
    io.stdout.write('Starting the demo (generating history)…\n');
    const started = await request(() => api.startDemo(options));
    const base = (flags.url ?? io.env.VIGIL_URL ?? defaultUrl).replace(/\/$/, '');
    io.stdout.write(
      started.created
        ? `Created ${started.model} with ${started.predictions} predictions and ${started.labels} labels; it streams new traffic while the server runs.\n`
        : `${started.model} already exists; it streams new traffic while the server runs.\n`,
    );
    io.stdout.write(`Open ${base}/models/${started.model} — remove it with: vigil demo --remove\n`);
  });
}
