import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { SAMPLE_HEADER, sampleRows, toCsv } from './report.test-support.js';
import { ReportSchema, reportJsonSchema } from './schema.js';

const committed = fileURLToPath(new URL('../../../../docs/report.schema.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-report-schema-'));
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the JSON report schema', () => {
  it('is the committed docs/report.schema.json', async () => {
    const generated = reportJsonSchema();
    if (process.env.VIGIL_UPDATE_REPORT_SCHEMA === '1')
      await writeFile(committed, `${JSON.stringify(generated, null, 2)}\n`);
    // Compared as JSON: the file is formatted as biome formats JSON.
    const message = 'run with VIGIL_UPDATE_REPORT_SCHEMA=1 to regenerate';
    expect(JSON.parse(await readFile(committed, 'utf8')), message).toEqual(generated);
  });

  it('holds what vigil report --json writes, with every section present', async () => {
    await writeFile(join(dir, 'a.csv'), toCsv(SAMPLE_HEADER, sampleRows({ rows: 1500, shift: 0, seed: 7 })));
    await writeFile(join(dir, 'b.csv'), toCsv(SAMPLE_HEADER, sampleRows({ rows: 600, shift: 1, seed: 8 })));
    const args = ['--target', 'y', '--prediction', 'y_hat', '--score', 'p', '--segment', 'region'];
    const result = await runVigil(
      [
        'report',
        '--reference',
        'a.csv',
        '--current',
        'b.csv',
        ...args,
        '--out',
        'r.html',
        '--json',
        'r.json',
      ],
      {},
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const parsed = ReportSchema.safeParse(json);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    for (const section of ['multivariate', 'performance', 'estimated_performance', 'fairness'])
      expect(json[section], section).not.toBeNull();
  });
});
