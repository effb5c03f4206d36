/**
 * The demo's experiment and registry: the runs that trained the churn model (params, metrics
 * logged per boosting round, the training data as a dataset input), the three versions
 * registered from them, and the story of its aliases: version 1 served as champion, version 2
 * was tried as challenger and took over a day ago, version 3 (retrained on the campaign's
 * customers) is the challenger now. Everything is written through the same store calls as
 * MLflow's client and the registry API, dated back so the history reads as it happened.
 */

import { randomUUID } from 'node:crypto';
import { createSeededRandom, type RandomStream } from '@vigil/stats';
import type { ChangeAuditor } from '../audit/index.js';
import { RegistryService } from '../registry/service.js';
import type { ShadowPredictionInput } from '../storage/comparison.js';
import type { MetricPoint } from '../storage/tracking.js';
import type { ModelRow, Store } from '../storage/types.js';
import { DEMO_MODEL, DEMO_TAG, type DemoPrediction } from './churn.js';

const HOUR_MS = 3_600_000;
/** Who the demo's runs and alias changes are recorded as. */
export const DEMO_ACTOR = 'user:demo';
const ROUNDS = 30;
/** The challenger, in shadow: it predicts the ids the champion serves from this long before the origin on. */
export const CHALLENGER_VERSION = '3';
export const CHALLENGER_SINCE_HOURS = 3;

interface DemoRun {
  name: string;
  params: Record<string, string>;
  /** Hours before the demo's origin when the run started. */
  startedHoursAgo: number;
  /** Validation AUC it converges to, and how fast (rounds). */
  finalAuc: number;
  pace: number;
  /** Validation loss turns up after this round (over-fitting); null: it does not. */
  overfitsAfter: number | null;
  accuracy: number;
  f1: number;
  trainingDigest: string;
  /** Registered as the next version with this description. */
  registered?: string;
}

const RUNS: DemoRun[] = [
  {
    name: 'logreg-baseline',
    params: { algorithm: 'logistic_regression', C: '1.0', features: '10', training_months: '12' },
    startedHoursAgo: 80,
    finalAuc: 0.791,
    pace: 4,
    overfitsAfter: null,
    accuracy: 0.772,
    f1: 0.561,
    trainingDigest: '4f1c2a90',
  },
  {
    name: 'gbm-depth4',
    params: {
      algorithm: 'gradient_boosting',
      max_depth: '4',
      n_estimators: '300',
      learning_rate: '0.1',
      features: '10',
      training_months: '12',
    },
    startedHoursAgo: 76,
    finalAuc: 0.842,
    pace: 6,
    overfitsAfter: null,
    accuracy: 0.801,
    f1: 0.612,
    trainingDigest: '4f1c2a90',
    registered: 'First production model.',
  },
  {
    name: 'gbm-depth8',
    params: {
      algorithm: 'gradient_boosting',
      max_depth: '8',
      n_estimators: '500',
      learning_rate: '0.1',
      features: '10',
      training_months: '12',
    },
    startedHoursAgo: 60,
    finalAuc: 0.829,
    pace: 4,
    overfitsAfter: 12,
    accuracy: 0.795,
    f1: 0.598,
    trainingDigest: '4f1c2a90',
  },
  {
    name: 'gbm-depth5-18m',
    params: {
      algorithm: 'gradient_boosting',
      max_depth: '5',
      n_estimators: '500',
      learning_rate: '0.05',
      features: '10',
      training_months: '18',
    },
    startedHoursAgo: 34,
    finalAuc: 0.857,
    pace: 8,
    overfitsAfter: null,
    accuracy: 0.812,
    f1: 0.634,
    trainingDigest: '9b27e4d1',
    registered: 'Retrained with six more months of customers.',
  },
  {
    name: 'gbm-depth5-campaign',
    params: {
      algorithm: 'gradient_boosting',
      max_depth: '5',
      n_estimators: '600',
      learning_rate: '0.05',
      features: '10',
      training_months: '18',
      includes_campaign: 'true',
    },
    startedHoursAgo: 4,
    finalAuc: 0.861,
    pace: 8,
    overfitsAfter: null,
    accuracy: 0.818,
    f1: 0.651,
    trainingDigest: 'c3d8a712',
    registered: "Retrained on the campaign's new customers; in shadow as challenger.",
  },
];

/** Loss and AUC per boosting round (logged every 10 rounds), then the final test metrics once. */
function metricsOf(run: DemoRun, random: RandomStream, startMs: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let step = 0; step < ROUNDS; step++) {
    const progress = 1 - Math.exp(-(step + 1) / run.pace);
    const noise = () => random.normal() * 0.002;
    const timestampMs = startMs + step * 60_000;
    const auc = 0.6 + (run.finalAuc - 0.6) * progress + noise();
    const trainLoss = 0.69 - 0.36 * (1 - Math.exp(-(step + 1) / (run.pace * 0.8))) + noise();
    const overfit =
      run.overfitsAfter !== null && step > run.overfitsAfter ? (step - run.overfitsAfter) * 0.004 : 0;
    const valLoss = 0.69 - 0.3 * progress + overfit + noise();
    points.push(
      { key: 'val_auc', value: round(auc), timestampMs, step: step * 10 },
      { key: 'val_loss', value: round(valLoss), timestampMs, step: step * 10 },
      { key: 'train_loss', value: round(trainLoss), timestampMs, step: step * 10 },
    );
  }
  const endMs = startMs + ROUNDS * 60_000;
  for (const [key, value] of [
    ['auc', run.finalAuc],
    ['accuracy', run.accuracy],
    ['f1', run.f1],
  ] as const) {
    // Logged once at the end, without a step, as mlflow.log_metric does by default.
    points.push({ key, value, timestampMs: endMs, step: 0 });
  }
  return points;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export interface DemoRegistry {
  experimentId: number | null;
  /** Registered version names, oldest first. */
  versions: string[];
}

/** Without a request to record them for (tests, tools), the changes run as they are. */
export const unaudited: ChangeAuditor = (_change, work) => work();

/**
 * Creates the experiment with its runs and registers versions 1–3 from them, with the alias
 * history. When an experiment of the demo's name exists and was not made by the demo, the
 * versions are registered without runs.
 */
export async function createDemoRegistry(
  store: Store,
  model: ModelRow,
  originMs: number,
  seed: number,
  audit: ChangeAuditor = unaudited,
): Promise<DemoRegistry> {
  const projectId = model.projectId;
  const registry = new RegistryService(store, () => originMs);
  const random = createSeededRandom(seed + 2);
  const taken = await store.tracking.getExperimentByName(projectId, DEMO_MODEL);
  const experiment = taken
    ? null
    : await store.tracking.createExperiment({
        projectId,
        name: DEMO_MODEL,
        artifactLocation: '',
        lifecycleStage: 'active',
        tags: {
          [DEMO_TAG]: 'churn',
          'mlflow.note.content':
            'Churn classifier experiments of the demo: a baseline and gradient boosting.',
        },
        createdMs: originMs - 90 * HOUR_MS,
      });
  if (experiment) {
    await store.tracking.setArtifactLocation(experiment.id, `mlflow-artifacts:/${experiment.id}`);
  }

  const versions: string[] = [];
  for (const run of RUNS) {
    let runId: string | null = null;
    if (experiment) {
      runId = randomUUID().replaceAll('-', '');
      const startMs = originMs - run.startedHoursAgo * HOUR_MS;
      await store.tracking.createRun(
        {
          id: runId,
          projectId,
          experimentId: experiment.id,
          name: run.name,
          userId: 'demo',
          status: 'FINISHED',
          startMs,
          endMs: startMs + ROUNDS * 60_000,
          lifecycleStage: 'active',
          artifactUri: `mlflow-artifacts:/${experiment.id}/${runId}/artifacts`,
        },
        { 'mlflow.runName': run.name, 'mlflow.user': 'demo', 'mlflow.source.name': 'train_churn.py' },
      );
      await store.tracking.logBatch(runId, {
        metrics: metricsOf(run, random, startMs),
        params: run.params,
        tags: {},
      });
      await store.tracking.logInputs(runId, [
        {
          name: `customers-${run.params.training_months}m`,
          digest: run.trainingDigest,
          sourceType: 'local',
          source: '{"uri": "demo://churn/training"}',
          schema: null,
          profile: null,
          tags: { 'mlflow.data.context': 'training' },
        },
      ]);
    }
    const description = run.registered;
    if (description === undefined) continue;
    const version = await audit({ entity: 'model_version', action: 'create', model: model.name }, () =>
      registry.createVersion(model, projectId, {
        source: runId ? `runs:/${runId}/model` : `demo://churn/${run.name}`,
        runId,
        loggedModelId: null,
        tags: {},
        description,
        userId: 'demo',
      }),
    );
    versions.push(version.name);
  }

  // The aliases' story, oldest first.
  const ids = new Map<string, number>();
  for (const name of versions) {
    const version = await store.getModelVersion(model.id, name);
    if (version) ids.set(name, version.id);
  }
  const at = (hoursAgo: number) => originMs - hoursAgo * HOUR_MS;
  const aliasChange = (alias: string, action: 'set' | 'delete') =>
    ({ entity: 'alias', action, model: model.name, names: { alias } }) as const;
  const set = (alias: string, version: string, hoursAgo: number) =>
    audit(aliasChange(alias, 'set'), () =>
      store.registry.setAlias(model.id, alias, ids.get(version)!, DEMO_ACTOR, at(hoursAgo)),
    );
  await set('champion', '1', 72);
  await set('challenger', '2', 30);
  await set('champion', '2', 24);
  await audit(aliasChange('challenger', 'delete'), () =>
    store.registry.deleteAlias(model.id, 'challenger', at(24)),
  );
  await set('challenger', CHALLENGER_VERSION, CHALLENGER_SINCE_HOURS);
  return { experimentId: experiment?.id ?? null, versions };
}

/** Deletes the demo's experiment, if the demo made it. */
export async function removeDemoExperiment(store: Store, projectId: number): Promise<void> {
  const experiment = await store.tracking.getExperimentByName(projectId, DEMO_MODEL);
  if (experiment && experiment.tags[DEMO_TAG] !== undefined) {
    await store.tracking.deleteExperimentPermanently(experiment.id);
  }
}

/** A number in [0, 1) from an id (FNV-1a), so the challenger's answer to an id never changes. */
function unitOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Version 3's prediction for an id the champion served: retrained on the campaign's customers,
 * its score leans a little further towards what the customer did, so on paired labels it is
 * somewhat better, and it disagrees with the champion on a share of the ids.
 */
export function challengerPrediction(served: DemoPrediction): ShadowPredictionInput {
  const outcome = served.label === 'churn' ? 1 : 0;
  const pull = 0.12 * unitOf(served.record.id);
  const score = Math.round((served.record.score * (1 - pull) + outcome * pull) * 10_000) / 10_000;
  return {
    id: served.record.id,
    timestampMicros: Date.parse(served.record.timestamp) * 1000,
    prediction: score >= 0.5 ? 'churn' : 'stay',
    predictionNumber: null,
    score,
    scores: null,
  };
}
