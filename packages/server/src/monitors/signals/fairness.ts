/**
 * Fairness: for each sensitive attribute, how the model treats its groups in the window —
 * demographic parity (difference and ratio of selection rates; the ratio below 0.8 is the
 * four-fifths rule), and, once labels are in, equal opportunity (difference of true positive
 * rates) and equalized odds — computed by `@vigil/stats` (fairlearn's definitions) from
 * per-group confusion counts the engine returns.
 */
import { fairnessReport, type GroupConfusionCounts } from '@vigil/stats';
import type { NewMonitorResult } from '../../domain/index.js';
import { currentProfile, currentSource, type EvaluationContext, makeResult } from '../context.js';
import type { EvaluationWindow } from '../windows.js';
import { binaryCounts, positiveClass } from './performance.js';

const MAX_GROUPS = 20;

export function fairnessAttributes(ctx: EvaluationContext): string[] {
  const config = ctx.config;
  if (config.kind !== 'fairness') return [];
  return config.attributes ?? ctx.model.schema?.sensitive_attributes ?? [];
}

export async function evaluateFairness(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'fairness') return [];
  const attributes = fairnessAttributes(ctx);
  const results: NewMonitorResult[] = [];
  for (const attribute of attributes) {
    const groups = await currentProfile(ctx, window, {
      categorical: [{ key: 'g', target: { column: attribute }, limit: MAX_GROUPS }],
    });
    const values = Object.keys(groups.categorical.g?.counts ?? {});
    const counts: GroupConfusionCounts[] = [];
    const outcomes: GroupConfusionCounts[] = [];
    let favourable = config.favourable;
    let labelled = 0;
    for (const value of values) {
      const source = currentSource(ctx, window);
      if (source.kind !== 'predictions') continue;
      const [profile] = await ctx.store.profile(ctx.model.id, ctx.columns, {
        source: { ...source, segment: { name: attribute, value } },
        categorical: [{ key: 'p', target: { field: 'prediction' } }],
        confusion: true,
      });
      if (!profile) continue;
      favourable ??= positiveClass(ctx, profile);
      const predictedFavourable = profile.categorical.p?.counts[favourable] ?? 0;
      const { tp, fp, fn, tn } = binaryCounts(profile.confusion, favourable);
      const c = {
        group: value,
        truePositives: tp,
        falsePositives: fp,
        falseNegatives: fn,
        trueNegatives: tn,
      };
      const labelledHere = tp + fp + fn + tn;
      labelled += labelledHere;
      outcomes.push(c);
      // Selection rates count every prediction, labelled or not.
      counts.push({
        group: value,
        truePositives: predictedFavourable,
        falsePositives: 0,
        falseNegatives: 0,
        trueNegatives: profile.rows - predictedFavourable,
      });
    }
    const report = fairnessReport(counts, { minGroupSize: config.min_group_size });
    const compared = report.demographicParity.groupsCompared;
    const base = { feature: attribute, sampleSize: groups.rows };
    if (compared < 2) {
      for (const metric of ['demographic_parity_difference', 'demographic_parity_ratio']) {
        results.push(
          makeResult(ctx, window, {
            ...base,
            metric,
            status: 'insufficient_data',
            reason: `Fewer than two groups of "${attribute}" with at least ${config.min_group_size} predictions in the window.`,
          }),
        );
      }
      continue;
    }
    const details = {
      favourable,
      groups: report.groups.map((g) => ({
        group: g.group,
        count: g.count,
        selection_rate: g.selectionRate,
        included: g.included,
      })),
      lowest_group: report.demographicParity.lowestGroup ?? null,
      highest_group: report.demographicParity.highestGroup ?? null,
    };
    const difference = report.demographicParity.difference;
    const ratio = report.demographicParity.ratio;
    results.push(
      makeResult(ctx, window, {
        ...base,
        metric: 'demographic_parity_difference',
        value: difference,
        thresholdUpper: config.max_parity_difference,
        status: difference > config.max_parity_difference ? 'alert' : 'ok',
        details,
      }),
      makeResult(ctx, window, {
        ...base,
        metric: 'demographic_parity_ratio',
        value: Number.isFinite(ratio) ? ratio : null,
        thresholdLower: config.min_parity_ratio,
        status: !Number.isFinite(ratio)
          ? 'insufficient_data'
          : ratio < config.min_parity_ratio
            ? 'alert'
            : 'ok',
        details,
      }),
    );
    const opportunity = fairnessReport(outcomes, { minGroupSize: config.min_group_size }).equalOpportunity
      .difference;
    results.push(
      makeResult(ctx, window, {
        ...base,
        metric: 'equal_opportunity_difference',
        value: labelled > 0 && Number.isFinite(opportunity) ? opportunity : null,
        thresholdUpper: config.max_equal_opportunity_difference,
        sampleSize: labelled,
        status:
          labelled === 0 || !Number.isFinite(opportunity)
            ? 'insufficient_data'
            : opportunity > config.max_equal_opportunity_difference
              ? 'alert'
              : 'ok',
        ...(labelled === 0 ? { reason: 'No labels in the window yet.' } : {}),
        details,
      }),
    );
  }
  return results;
}
