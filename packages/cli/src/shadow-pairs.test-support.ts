/**
 * Test data for the commands that compare a champion with its shadow challengers: model `churn`,
 * version 1 holding `champion` and serving 80 labelled requests, one every 90 s from `t0`
 * (labels alternating 1, 0), wrong on every fourth; each challenger predicts every request in
 * shadow, wrong where its function says.
 */
import type { VigilApi } from '@vigil/sdk';

export async function seedChampionWithShadows(
  api: VigilApi,
  t0: number,
  challengers: Record<string, (request: number) => boolean>,
): Promise<void> {
  await api.createModel({ name: 'churn', task: 'binary_classification' });
  for (const name of ['1', ...Object.keys(challengers)]) await api.createVersion('churn', { name });
  await api.promote('churn', 'champion', { version: '1' });
  const labels = Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? 1 : 0));
  const at = (i: number) => t0 + i * 90_000;
  await api.ingestPredictions(
    'churn',
    labels.map((label, i) => ({
      id: `r${i}`,
      timestamp: at(i),
      version: '1',
      features: {},
      prediction: i % 4 === 0 ? 1 - label : label,
    })),
  );
  for (const [version, wrong] of Object.entries(challengers)) {
    await api.logShadowPredictions(
      'churn',
      version,
      labels.map((label, i) => ({ id: `r${i}`, timestamp: at(i), prediction: wrong(i) ? 1 - label : label })),
    );
  }
  await api.ingestLabels(
    'churn',
    labels.map((label, i) => ({ id: `r${i}`, label })),
  );
}
