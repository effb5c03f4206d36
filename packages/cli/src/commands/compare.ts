import type { ComparisonResult, ComparisonWindow } from '@vigil/sdk';
import { WINDOW_SIZES, type WindowSize } from '@vigil/server/domain';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { connect, request, type ServerFlags, serverOptions, table } from '../server-api.js';

const WINDOWS = Object.keys(WINDOW_SIZES) as WindowSize[];

interface CompareFlags extends ServerFlags {
  from?: string;
  to?: string;
  window?: string;
  confidence?: string;
  json?: boolean;
}

const num = (x: number | null, digits = 4) => (x === null ? '-' : String(Number(x.toPrecision(digits))));
const signed = (x: number | null) => (x === null ? '-' : `${x > 0 ? '+' : ''}${num(x)}`);
const percent = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

function describeSide(side: ComparisonResult['a']): string {
  return side.alias ? `${side.alias} (version ${side.version})` : `version ${side.version}`;
}

function metricsTable(window: ComparisonWindow, confidence: number): string {
  const rows = window.metrics.map((m) => [
    m.metric,
    num(m.a),
    num(m.b),
    signed(m.difference),
    m.lower === null ? '-' : `[${signed(m.lower)}, ${signed(m.upper)}]`,
    num(m.p_value, 3),
    m.test,
    m.status === 'ok' ? (m.better ?? 'neither') : `(${m.reason})`,
  ]);
  const level = `${Math.round(confidence * 1000) / 10}% CI`;
  return table(['METRIC', 'A', 'B', 'B - A', level, 'P', 'TEST', 'BETTER'], rows);
}

function render(result: ComparisonResult): string {
  const { overall } = result;
  const lines = [
    `${result.model}: A = ${describeSide(result.a)}, B = ${describeSide(result.b)}, ${result.from} to ${result.to}`,
    `${overall.pairs} paired predictions, ${overall.labelled} labelled; agreement ${percent(overall.agreement.rate)}` +
      (overall.agreement.mean_absolute_difference === null
        ? ''
        : `, mean |A - B| ${num(overall.agreement.mean_absolute_difference)}`),
  ];
  const estimated = overall.estimated;
  if (estimated?.status === 'ok') {
    lines.push(
      `estimated before labels (CBPE): accuracy A ${num(estimated.a?.accuracy ?? null)}, B ${num(estimated.b?.accuracy ?? null)}; ` +
        `f1 A ${num(estimated.a?.f1 ?? null)}, B ${num(estimated.b?.f1 ?? null)}`,
    );
  } else if (estimated) {
    lines.push(`estimated performance: ${estimated.reason}`);
  }
  let text = `${lines.join('\n')}\n\n${metricsTable(overall, result.confidence)}`;
  if (result.windows.length > 0) {
    const first = overall.metrics[0]?.metric;
    const rows = result.windows.map((w) => {
      const m = w.metrics.find((x) => x.metric === first);
      return [
        w.start,
        String(w.pairs),
        String(w.labelled),
        percent(w.agreement.rate),
        signed(m?.difference ?? null),
        m?.status === 'ok' ? (m.better ?? 'neither') : '-',
      ];
    });
    text += `\nPer ${result.window} window:\n${table(['START', 'PAIRS', 'LABELLED', 'AGREEMENT', `${first} B - A`, 'BETTER'], rows)}`;
  }
  return text;
}

/** `vigil compare <model> <a> <b>`: champion / challenger on live traffic, compared paired. */
export function register(program: Command, io: CliIo): void {
  serverOptions(
    program
      .command('compare')
      .summary('compare two versions of a model on the same prediction ids')
      .description('Compare two versions of a model paired, on the predictions both made for the same ids')
      .argument('<model>', 'model name')
      .argument('<a>', 'version or alias of one side, usually the champion')
      .argument('<b>', 'version or alias of the other side, usually the challenger')
      .option('--from <time>', 'start of the period (RFC 3339 or epoch); default: 7 days before --to')
      .option('--to <time>', 'end of the period; default: now')
      .option('--window <size>', `also compare per window: ${WINDOWS.join(', ')}`)
      .option('--confidence <level>', 'confidence of the intervals, e.g. 0.9 (default 0.95)')
      .option('--json', 'print the comparison as JSON')
      .addHelpText(
        'after',
        `
Differences are B - A: positive when B scores higher. BETTER names the side whose advantage
the paired test finds significant (McNemar for accuracy, DeLong for ROC AUC, a paired bootstrap
otherwise). A shadow version logs its predictions with POST /api/v1/models/<model>/shadow-predictions.`,
      ),
  ).action(async (model: string, a: string, b: string, flags: CompareFlags) => {
    if (flags.window !== undefined && !WINDOWS.includes(flags.window as WindowSize)) {
      throw new CliError(`--window must be one of ${WINDOWS.join(', ')}; got "${flags.window}".`);
    }
    const confidence = flags.confidence === undefined ? undefined : Number(flags.confidence);
    if (confidence !== undefined && !(confidence >= 0.5 && confidence <= 0.999)) {
      throw new CliError(`--confidence must be a number from 0.5 to 0.999; got "${flags.confidence}".`);
    }
    const result = await request(() =>
      connect(flags, io).compare(model, {
        a,
        b,
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        ...(flags.window !== undefined ? { window: flags.window as WindowSize } : {}),
        ...(confidence !== undefined ? { confidence } : {}),
      }),
    );
    io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : render(result));
  });
}
