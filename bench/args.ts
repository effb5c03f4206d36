/**
 * Command-line options of the benchmarks: `parseArgs` with `--help`, which prints the script's
 * own description (its first comment) and every option with its default, then exits.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchArgs<const T extends Options>(script: string, options: T) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${usage(script, options)}\n`);
    process.exit(0);
  }
  return parseArgs({ options });
}

function usage(script: string, options: Options): string {
  const path = fileURLToPath(script);
  const comment = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
  const description = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
  const lines = Object.entries(options).map(([name, option]) => {
    const value = option.type === 'string' ? ` <${option.default || 'value'}>` : '';
    return `  --${name}${value}`;
  });
  return `${description}\n\nOptions (defaults shown):\n${lines.join('\n')}\n  --help`;
}
