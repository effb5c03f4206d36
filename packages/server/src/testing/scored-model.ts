/**
 * A scored binary classifier for evaluation tests: two numeric features and a categorical one,
 * rows drawn from a fixed seed, so tests that compare two ways of evaluating share one model.
 */
import { createSeededRandom } from '@vigil/stats';

/** The classifier's features, score field and classes, as a model schema declares them. */
export const SCORED_SCHEMA = {
  features: [
    { name: 'amount', type: 'numeric' },
    { name: 'tenure', type: 'numeric' },
    { name: 'country', type: 'categorical' },
  ],
  score_field: 'score',
  classes: ['0', '1'],
};

export interface ScoredRow {
  amount: number;
  tenure: number | null;
  country: string;
  score: number;
  prediction: 0 | 1;
  label: 0 | 1;
}

/**
 * `n` rows drawn from `seed`: the score follows `amount`, and the label the score. `shift`
 * moves `amount` and makes the unseen country 'XX' commoner, so shifted windows drift.
 */
export function scoredRows(n: number, seed: number, shift = 0): ScoredRow[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => {
    const x = random.normal() + shift;
    const score = 1 / (1 + Math.exp(-2 * x));
    return {
      amount: x,
      tenure: random.uniform() < 0.05 ? null : 10 * random.uniform(),
      country: random.uniform() < 0.6 ? 'DE' : random.uniform() < 0.2 + shift / 4 ? 'XX' : 'FR',
      score,
      prediction: score >= 0.5 ? 1 : 0,
      label: random.uniform() < score ? 1 : 0,
    };
  });
}
