import {
  type MetricCheck,
  type PromoteRequest,
  type PromotionCheck,
  type PromotionRefused,
  VigilHttpError,
} from '@vigil/sdk';
import type { Command } from 'commander';
import { CliError, type CliIo, ExitCode } from '../io.js';
import { connect, request, type ServerFlags, serverOptions, table } from '../server-api.js';

interface PromoteFlags extends ServerFlags {
  check: string[];
  liveCheck: string[];
  estimatedCheck: string[];
  from?: string;
  to?: string;
  minLabelled?: string;
  confidence?: string;
  json?: boolean;
}

const CHECK_SYNTAX =
  '<metric>:<higher|lower>:<condition>[,<condition>...], conditions threshold=<n>, min-change=<n>, ' +
  'min-relative-change=<n>';

/**
 * One check from its flag: `roc_auc:higher:threshold=0.8,min-change=0.01,significant`.
 * `significant` (a paired test finding the candidate better) exists for live checks only.
 */
export function parseCheck(
  flag: string,
  spec: string,
  source: NonNullable<MetricCheck['source']>,
): MetricCheck {
  const fail = (why: string): never => {
    throw new CliError(
      `${flag} '${spec}': ${why}. Write ${CHECK_SYNTAX}${source === 'live' ? ', significant' : ''}.`,
    );
  };
  const [metric, direction, conditions, ...rest] = spec.split(':');
  if (!metric) fail('no metric name');
  if (direction !== 'higher' && direction !== 'lower') fail('say whether higher or lower is better');
  if (!conditions || rest.length > 0) fail('give the conditions after the direction');
  const check: MetricCheck = { metric: metric!, greater_is_better: direction === 'higher', source };
  for (const condition of conditions!.split(',')) {
    const [name, value, ...extra] = condition.trim().split('=');
    if (name === 'significant' && value === undefined) {
      if (source !== 'live') fail('significant needs a labelled paired test: use --live-check');
      check.require_significant = true;
      continue;
    }
    const field = {
      threshold: 'threshold',
      'min-change': 'min_absolute_change',
      'min-relative-change': 'min_relative_change',
    }[name ?? ''] as 'threshold' | 'min_absolute_change' | 'min_relative_change' | undefined;
    if (!field) fail(`unknown condition '${condition}'`);
    const number = Number(value);
    if (value === undefined || value.trim() === '' || extra.length > 0 || !Number.isFinite(number)) {
      fail(`${name} needs a number, got '${value ?? ''}'`);
    }
    check[field!] = number;
  }
  return check;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const num = (x: number | null) => (x === null ? '-' : String(Number(x.toPrecision(4))));
const signed = (x: number | null) => (x === null ? '-' : `${x > 0 ? '+' : ''}${num(x)}`);

/** The paired evidence of a live check, in a few words. */
function evidence(check: PromotionCheck, confidence: number): string {
  if (!check.live) return '-';
  const { live } = check;
  if (check.source === 'live_estimated') return `${live.pairs} pairs (before labels)`;
  const parts = [`${live.labelled} labelled of ${live.pairs} pairs`];
  if (live.difference !== null) parts.push(`diff ${signed(live.difference)}`);
  if (live.lower !== null && live.upper !== null) {
    parts.push(`${Math.round(confidence * 1000) / 10}% CI [${signed(live.lower)}, ${signed(live.upper)}]`);
  }
  if (live.p_value !== null) parts.push(`p ${Number(live.p_value.toPrecision(3))}`);
  return parts.join(', ');
}

function checksTable(checks: PromotionCheck[], confidence: number): string {
  if (checks.length === 0) return 'No checks: the alias was set as asked.\n';
  const rows = checks.map((c) => [
    c.source,
    c.metric,
    c.check,
    num(c.candidate),
    num(c.baseline),
    c.check === 'significant_improvement' ? `α ${num(c.required)}` : num(c.required),
    evidence(c, confidence),
    c.skipped ? 'skipped' : c.passed ? 'pass' : 'FAIL',
  ]);
  return table(['SOURCE', 'METRIC', 'CHECK', 'CANDIDATE', 'HOLDER', 'REQUIRED', 'EVIDENCE', 'RESULT'], rows);
}

/** A time flag as the API takes it: an epoch number stays a number, anything else is RFC 3339 text. */
const timeOf = (text: string): string | number => (/^\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/** `vigil promote <model> <alias> <version>`: the gated promotion, on run or live metrics. */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  serverOptions(
    program
      .command('promote')
      .summary('point an alias at a version if it passes the promotion gate')
      .description('Point an alias at a version if it passes every check against the version holding it now')
      .argument('<model>', 'model name')
      .argument('<alias>', 'alias to move, e.g. champion')
      .argument('<version>', 'the candidate version')
      .option('--check <spec>', "a check on the versions' run metrics (repeatable)", collect, [])
      .option(
        '--live-check <spec>',
        'a check on labelled production traffic, candidate and holder paired on the same prediction ids (repeatable)',
        collect,
        [],
      )
      .option(
        '--estimated-check <spec>',
        'a check on the estimated performance before labels (CBPE, binary classifiers; repeatable)',
        collect,
        [],
      )
      .option('--from <time>', 'live checks: start of the traffic compared (default: 7 days before --to)')
      .option('--to <time>', 'live checks: end of the traffic compared (default: now)')
      .option('--min-labelled <n>', 'live checks: fewest labelled pairs accepted (default 100)')
      .option('--confidence <level>', 'live checks: confidence of the paired intervals (default 0.95)')
      .option('--json', 'print the result (or the refusal) as JSON')
      .addHelpText(
        'after',
        `
A check is ${CHECK_SYNTAX}; a --live-check also takes "significant": the paired test must find the
candidate better than the holder (its interval of candidate - holder excludes 0 on the better side).

  vigil promote fraud champion 4 --check auc:higher:threshold=0.85,min-change=0.01
  vigil promote fraud champion 4 --live-check roc_auc:higher:significant,threshold=0.8 \\
      --estimated-check accuracy:higher:min-change=0 --from 2026-03-01 --to 2026-03-08 --min-labelled 500

Exit codes: 0 promoted; 1 refused by a check (nothing changed; each check is printed with its
numbers); 2 bad arguments or the server refused the request.`,
      ),
  ).action(async (model: string, alias: string, version: string, flags: PromoteFlags) => {
    const checks = [
      ...flags.check.map((spec) => parseCheck('--check', spec, 'run')),
      ...flags.liveCheck.map((spec) => parseCheck('--live-check', spec, 'live')),
      ...flags.estimatedCheck.map((spec) => parseCheck('--estimated-check', spec, 'live_estimated')),
    ];
    const confidence = flags.confidence === undefined ? undefined : Number(flags.confidence);
    if (confidence !== undefined && !(confidence >= 0.5 && confidence <= 0.999)) {
      throw new CliError(`--confidence must be a number from 0.5 to 0.999; got '${flags.confidence}'.`);
    }
    const minLabelled = flags.minLabelled === undefined ? undefined : Number(flags.minLabelled);
    if (minLabelled !== undefined && !(Number.isInteger(minLabelled) && minLabelled >= 0)) {
      throw new CliError(`--min-labelled must be a whole number of 0 or more; got '${flags.minLabelled}'.`);
    }
    const live = {
      ...(flags.from !== undefined ? { from: timeOf(flags.from) } : {}),
      ...(flags.to !== undefined ? { to: timeOf(flags.to) } : {}),
      ...(minLabelled !== undefined ? { min_labelled: minLabelled } : {}),
      ...(confidence !== undefined ? { confidence } : {}),
    };
    const usesLive = flags.liveCheck.length + flags.estimatedCheck.length > 0;
    if (Object.keys(live).length > 0 && !usesLive) {
      throw new CliError(
        '--from, --to, --min-labelled and --confidence choose the traffic of live checks; add a --live-check or --estimated-check.',
      );
    }
    const body: PromoteRequest = { version, checks, ...(usesLive ? { live } : {}) };
    const level = confidence ?? 0.95;
    try {
      const result = await connect(flags, io).promote(model, alias, body);
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ promoted: true, ...result }, null, 2)}\n`);
        return;
      }
      io.stdout.write(
        `Promoted version ${result.current.version} of ${model} to "${result.current.alias}".\n` +
          checksTable(result.checks, level),
      );
    } catch (error) {
      if (!(error instanceof VigilHttpError) || error.code !== 'promotion_refused') {
        return request(() => Promise.reject(error));
      }
      const refused = (Array.isArray(error.details) ? error.details : []) as PromotionRefused['details'];
      const message = error.message.replace(/^HTTP \d+: /, '');
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ promoted: false, message, checks: refused }, null, 2)}\n`);
      } else {
        io.stdout.write(checksTable(refused, level));
        io.stderr.write(`refused: ${message}\n`);
      }
      setExitCode(ExitCode.refused);
    }
  });
}
