import type { DuckDBValue } from '@duckdb/node-api';
import type {
  ComparisonRepository,
  PairedScope,
  PairedScoreBins,
  PairedSummary,
  ShadowPredictionInput,
} from '../comparison.js';
import { predictionsTable } from '../sql.js';
import { type DuckDbDatabase, toNullableNumber, toNumber } from './database.js';
import { allLabelsSql } from './labels.js';

/** Shadow rows may be stamped a little after the served prediction they pair with. */
const SHADOW_SLACK_MICROS = 86_400_000_000;

/**
 * The pairs of a scope as a CTE chain ending in `scoped` (pair columns, label, window `w`),
 * materialized once for every read of it, and its parameters. Each side: the version's served predictions, plus its shadow predictions for ids it
 * did not serve. Served rows are filtered by time before the join (they give the pair its time).
 */
function pairsSql(modelId: number, scope: PairedScope): { sql: string; params: DuckDBValue[] } {
  const table = predictionsTable(modelId);
  const params: DuckDBValue[] = [
    modelId,
    scope.versionA,
    scope.versionB,
    scope.fromMicros,
    scope.toMicros,
    scope.fromMicros - SHADOW_SLACK_MICROS,
    scope.toMicros + SHADOW_SLACK_MICROS,
  ];
  const window =
    scope.windowMicros === null
      ? 'NULL::DOUBLE'
      : `floor(epoch_us(p.ts) / ${Math.trunc(scope.windowMicros)}) * ${Math.trunc(scope.windowMicros)}`;
  const side = (version: string) => `
    SELECT id, ts, prediction, prediction_num, score, 1 AS served FROM ${table}
      WHERE version = ${version} AND ts >= make_timestamp(CAST($4 AS BIGINT)) AND ts < make_timestamp(CAST($5 AS BIGINT))
    UNION ALL
    SELECT s.id, s.ts, s.prediction, s.prediction_num, s.score, 0 AS served FROM shadow_predictions s
      WHERE s.model_id = $1 AND s.version = ${version}
        AND s.ts >= make_timestamp(CAST($6 AS BIGINT)) AND s.ts < make_timestamp(CAST($7 AS BIGINT))
        AND NOT EXISTS (SELECT 1 FROM ${table} p WHERE p.id = s.id AND p.version = ${version})`;
  const sql = `
    WITH side_a AS (${side('$2')}),
    side_b AS (${side('$3')}),
    pairs AS (
      SELECT a.id,
        CASE WHEN a.served = 1 THEN a.ts WHEN b.served = 1 THEN b.ts ELSE least(a.ts, b.ts) END AS ts,
        a.prediction AS pa, b.prediction AS pb, a.prediction_num AS na, b.prediction_num AS nb,
        a.score AS sa, b.score AS sb
      FROM side_a a JOIN side_b b ON a.id = b.id
    ),
    scoped AS MATERIALIZED (
      SELECT p.*, l.label, l.label_num, ${window} AS w
      FROM pairs p LEFT JOIN ${allLabelsSql(modelId, '$1')} l ON l.id = p.id
      WHERE p.ts >= make_timestamp(CAST($4 AS BIGINT)) AND p.ts < make_timestamp(CAST($5 AS BIGINT))
    )`;
  return { sql, params };
}

const windowOf = (value: unknown) => (value === null || value === undefined ? null : toNumber(value));

export class DuckDbComparison implements ComparisonRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async insertShadowPredictions(
    modelId: number,
    version: string,
    rows: ShadowPredictionInput[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const table = predictionsTable(modelId);
    // Lists travel as JSON text: a bound list takes its element type from its first item.
    const list = (values: unknown[]) => JSON.stringify(values);
    return this.db.transaction(async () => {
      const inserted = await this.db.rows(
        this.db.writer,
        `INSERT INTO shadow_predictions
           (model_id, version, id, ts, prediction, prediction_num, score, scores, ingested_at)
         SELECT $1, $2, v.id, make_timestamp(CAST(v.ts AS BIGINT)), v.prediction, v.prediction_num, v.score,
           v.scores, now()
         FROM (SELECT unnest(from_json($3, '["VARCHAR"]')) AS id, unnest(from_json($4, '["DOUBLE"]')) AS ts,
                 unnest(from_json($5, '["VARCHAR"]')) AS prediction,
                 unnest(from_json($6, '["DOUBLE"]')) AS prediction_num,
                 unnest(from_json($7, '["DOUBLE"]')) AS score, unnest(from_json($8, '["VARCHAR"]')) AS scores) v
         WHERE NOT EXISTS (SELECT 1 FROM ${table} p WHERE p.id = v.id AND p.version = $2)
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          modelId,
          version,
          list(rows.map((r) => r.id)),
          list(rows.map((r) => r.timestampMicros)),
          list(rows.map((r) => r.prediction)),
          list(rows.map((r) => r.predictionNumber)),
          list(rows.map((r) => r.score)),
          list(rows.map((r) => (r.scores === null ? null : JSON.stringify(r.scores)))),
        ],
      );
      return inserted.length;
    });
  }

  async versionLogged(modelId: number, version: string): Promise<boolean> {
    const rows = await this.db.read(
      `SELECT EXISTS (SELECT 1 FROM ${predictionsTable(modelId)} WHERE version = $2)
         OR EXISTS (SELECT 1 FROM shadow_predictions WHERE model_id = $1 AND version = $2) AS logged`,
      [modelId, version],
    );
    return rows[0]?.logged === true;
  }

  async pairedSummary(
    modelId: number,
    scope: PairedScope,
    options: { sampleLimit: number; scoreBins: boolean },
  ): Promise<PairedSummary> {
    const { sql, params } = pairsSql(modelId, scope);
    params.push(Math.max(0, Math.trunc(options.sampleLimit)));
    const limit = `$${params.length}`;
    // Bin k holds scores in [k / 1000, (k + 1) / 1000); the outer bins are open.
    const bin = (score: string) => `CAST(least(999, greatest(0, floor(${score} * 1000))) AS INTEGER)`;
    const scoreBins = options.scoreBins
      ? `UNION ALL BY NAME
      SELECT 'bins' AS kind, w, side, prediction,
        list(bin ORDER BY bin) AS bins, list(CAST(n AS INTEGER) ORDER BY bin) AS bin_counts
      FROM (
        SELECT w, 'a' AS side, pa AS prediction, ${bin('sa')} AS bin, count(*) AS n
        FROM scoped WHERE sa IS NOT NULL GROUP BY ALL
        UNION ALL
        SELECT w, 'b' AS side, pb AS prediction, ${bin('sb')} AS bin, count(*) AS n
        FROM scoped WHERE sb IS NOT NULL GROUP BY ALL
      ) GROUP BY w, side, prediction`
      : '';
    // One statement, so the join behind `scoped` runs once for all three reads.
    const rows = await this.db.read(
      `${sql}
      SELECT 'counts' AS kind, w, count(*) AS pairs,
        count(*) FILTER (WHERE pa IS NOT DISTINCT FROM pb) AS agreeing,
        coalesce(sum(abs(na - nb)), 0) AS abs_sum,
        count(na - nb) AS numeric_pairs,
        count(label) AS labelled,
        count(*) FILTER (WHERE label IS NOT NULL AND pa = label AND pb = label) AS both_right,
        count(*) FILTER (WHERE label IS NOT NULL AND pa = label AND pb IS DISTINCT FROM label) AS only_a,
        count(*) FILTER (WHERE label IS NOT NULL AND pa IS DISTINCT FROM label AND pb = label) AS only_b,
        count(*) FILTER (WHERE label IS NOT NULL AND pa IS DISTINCT FROM label AND pb IS DISTINCT FROM label) AS both_wrong
      FROM scoped GROUP BY w
      UNION ALL BY NAME
      SELECT 'sample' AS kind, w, label, label_num, pa, pb, na, nb, sa, sb,
        row_number() OVER (ORDER BY hash(id), id) AS rank
      FROM (SELECT * FROM scoped WHERE label IS NOT NULL ORDER BY hash(id), id LIMIT ${limit})
      ${scoreBins}`,
      params,
    );
    const summary: PairedSummary = { counts: [], sample: [], scoreBins: [] };
    const sampleRanks: number[] = [];
    for (const r of rows) {
      if (r.kind === 'counts') {
        summary.counts.push({
          windowStartMicros: windowOf(r.w),
          pairs: toNumber(r.pairs),
          agreeing: toNumber(r.agreeing),
          absoluteDifferenceSum: toNumber(r.abs_sum),
          numericPairs: toNumber(r.numeric_pairs),
          labelled: toNumber(r.labelled),
          bothRight: toNumber(r.both_right),
          onlyA: toNumber(r.only_a),
          onlyB: toNumber(r.only_b),
          bothWrong: toNumber(r.both_wrong),
        });
      } else if (r.kind === 'sample') {
        sampleRanks.push(toNumber(r.rank));
        summary.sample.push({
          windowStartMicros: windowOf(r.w),
          label: r.label as string,
          labelNumber: toNullableNumber(r.label_num),
          predictionA: (r.pa as string | null) ?? null,
          predictionB: (r.pb as string | null) ?? null,
          numberA: toNullableNumber(r.na),
          numberB: toNullableNumber(r.nb),
          scoreA: toNullableNumber(r.sa),
          scoreB: toNullableNumber(r.sb),
        });
      } else {
        summary.scoreBins.push({
          windowStartMicros: windowOf(r.w),
          side: r.side as PairedScoreBins['side'],
          prediction: (r.prediction as string | null) ?? null,
          bins: r.bins as number[],
          counts: r.bin_counts as number[],
        });
      }
    }
    // Rows of a UNION come in no set order: windows oldest first, the sample in hash order.
    const byWindow = (x: { windowStartMicros: number | null }, y: { windowStartMicros: number | null }) =>
      (x.windowStartMicros ?? 0) - (y.windowStartMicros ?? 0);
    summary.counts.sort(byWindow);
    const order = sampleRanks.map((_, i) => i).sort((x, y) => sampleRanks[x]! - sampleRanks[y]!);
    summary.sample = order.map((i) => summary.sample[i]!);
    summary.scoreBins.sort(
      (x, y) =>
        byWindow(x, y) ||
        x.side.localeCompare(y.side) ||
        (x.prediction ?? '').localeCompare(y.prediction ?? ''),
    );
    return summary;
  }
}
