/** Test data for `vigil report`: seeded tables with a known shift, written as CSV. */
import { createSeededRandom } from '@vigil/stats';

export interface SampleOptions {
  rows: number;
  /** 0: the reference's distributions; 1: age shifted, plan and region re-weighted. */
  shift: number;
  seed: number;
}

export const SAMPLE_HEADER = ['age', 'income', 'plan', 'active', 'region', 'y', 'y_hat', 'p'];

/** Rows of a churn-like table: numeric age and income, categorical plan, boolean active. */
export function sampleRows(options: SampleOptions): (string | number)[][] {
  const random = createSeededRandom(options.seed);
  const normal = () => random.normal();
  const rows: (string | number)[][] = [];
  for (let i = 0; i < options.rows; i++) {
    const age = Math.round(40 + 10 * normal() + options.shift * 8);
    const income = i % 97 === 0 ? '' : (50000 + 15000 * normal()).toFixed(2);
    const plan = random.uniform() < 0.3 + 0.3 * options.shift ? 'premium' : 'basic';
    const active = random.uniform() < 0.5 ? 'true' : 'false';
    const region = ['north', 'south', 'east', 'west'][Math.floor(random.uniform() * 4)]!;
    const p = 1 / (1 + Math.exp(-((age - 40) / 10 + normal())));
    const y = random.uniform() < p ? 1 : 0;
    rows.push([age, income, plan, active, region, y, p > 0.5 ? 1 : 0, Number(p.toFixed(4))]);
  }
  return rows;
}

export function toCsv(header: string[], rows: (string | number)[][]): string {
  return `${[header.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`;
}

export function toNdjson(header: string[], rows: (string | number)[][]): string {
  return rows
    .map((r) => JSON.stringify(Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? null : r[i]]))))
    .join('\n');
}
