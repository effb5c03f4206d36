/** A store with one model and monitor, an engine on an injected clock, and result helpers. */
import type { AlertRuleSpec, NewMonitorResult } from '../domain/index.js';
import { DuckDbStore } from '../storage/duckdb/store.js';
import type { MonitorRow } from '../storage/monitoring.js';
import type { ModelRow, Store } from '../storage/types.js';
import { ruleDefaults } from './defaults.js';
import { AlertEngine } from './engine.js';
import { RecordingNotifier } from './notifier.js';

export const HOUR_US = 3_600_000_000;
export const T0_US = Date.UTC(2026, 0, 5, 0, 0, 0) * 1000;

export interface Harness {
  store: Store;
  model: ModelRow;
  monitor: MonitorRow;
  traffic: MonitorRow;
  notifier: RecordingNotifier;
  engine: AlertEngine;
  clock: { ms: number };
  /**
   * Replaces window `index` (hours after T0) of `monitor` with one result per feature (drift above
   * 0.1 alerts; for the traffic monitor, a count of 0 or above 1000 alerts).
   */
  window(index: number, features: Record<string, number | null>, monitor?: MonitorRow): Promise<void>;
  /** Advances the clock and runs one engine step. */
  step(advanceMs?: number): Promise<void>;
  restart(): AlertEngine;
}

export async function harness(channels = ['ops']): Promise<Harness> {
  const store = await DuckDbStore.open({ path: ':memory:' });
  await store.migrate();
  const project = await store.ensureProject('default');
  const model = await store.createModel({
    projectId: project.id,
    name: 'fraud',
    task: 'binary_classification',
    description: null,
    tags: {},
    schema: null,
    schemaSource: null,
  });
  const monitor = await store.monitors.create({
    modelId: model.id,
    name: 'feature-drift',
    kind: 'feature_drift',
    enabled: true,
    isDefault: true,
    config: {},
  });
  const traffic = await store.monitors.create({
    modelId: model.id,
    name: 'traffic',
    kind: 'traffic',
    enabled: true,
    isDefault: true,
    config: {},
  });
  const notifier = new RecordingNotifier(channels);
  const clock = { ms: Date.UTC(2026, 0, 6) };
  const make = () =>
    new AlertEngine({ store, notifier, externalUrl: 'http://vigil.test', now: () => clock.ms });
  const h: Harness = {
    store,
    model,
    monitor,
    traffic,
    notifier,
    engine: make(),
    clock,
    async window(index, features, which = monitor) {
      const start = T0_US + index * HOUR_US;
      const results: NewMonitorResult[] = Object.entries(features).map(([feature, value]) => ({
        modelId: model.id,
        monitorId: which.id,
        monitorKind: which.kind,
        version: null,
        segment: null,
        windowStartMicros: start,
        windowEndMicros: start + HOUR_US,
        feature: which.kind === 'traffic' ? null : feature,
        metric: which.kind === 'traffic' ? feature : 'jensen_shannon',
        value,
        thresholdLower: null,
        thresholdUpper: 0.1,
        bandLower: null,
        bandUpper: null,
        sampleSize: value === null ? 3 : 1000,
        status:
          value === null
            ? 'insufficient_data'
            : which.kind === 'traffic'
              ? value === 0 || value > 1000
                ? 'alert'
                : 'ok'
              : value > 0.1
                ? 'alert'
                : 'ok',
        reason: null,
        details: null,
        evaluatedAtMicros: start + HOUR_US,
      }));
      await store.results.replaceWindow(which.id, start, results);
    },
    async step(advanceMs = 0) {
      clock.ms += advanceMs;
      await h.engine.poke();
    },
    restart() {
      h.engine = make();
      return h.engine;
    },
  };
  return h;
}

export function rule(spec: Partial<AlertRuleSpec>): AlertRuleSpec {
  return { ...ruleDefaults(), type: 'static', severity: 'critical', channels: ['ops'], ...spec };
}
