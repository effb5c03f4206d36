/**
 * The alert engine: follows monitor results in `seq` order, keeps each series' life cycle, and
 * tells notification groups when to speak. Restart-safe: a batch of results changes the alerts,
 * the series state and the cursor in one transaction; notifications are derived from the stored
 * group state and enqueued under a deterministic dedup key before the group's bookkeeping is
 * stored, so a crash in between re-enqueues the same key (a no-op), never a second notification.
 */
import type { Alert, AlertRuleSpec, MonitorResult, Silence } from '../domain/index.js';
import type { AlertGroup, GroupDefinition, NewAlert, SeriesState } from '../storage/alerts.js';
import type { Store } from '../storage/types.js';
import { Mutex } from '../util/mutex.js';
import { buildAnnotations, resultsUrl } from './annotations.js';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_RULES,
  DEFAULT_TICK_MS,
  INHIBIT_RULES,
  MIN_WINDOWS_KEPT,
} from './defaults.js';
import { alertLabels, recordWindow, seriesLabels } from './evaluate.js';
import { fingerprint, groupId, groupKey } from './fingerprint.js';
import { buildNotification, decideGroup } from './grouping.js';
import { evidenceWindow, seriesCondition } from './lifecycle.js';
import { matchesAll } from './matchers.js';
import type { AlertNotifier } from './notifier.js';

export interface EngineLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface AlertEngineOptions {
  store: Store;
  notifier: AlertNotifier;
  /** Base URL for links in notifications. */
  externalUrl: string;
  /** Epoch milliseconds; injectable so tests control time. */
  now?: () => number;
  tickMs?: number;
  batchSize?: number;
  log?: EngineLogger;
}

interface EffectiveRule {
  id: number | null;
  name: string;
  spec: AlertRuleSpec;
}

type OpenAlert = Alert | NewAlert;
const hasId = (a: OpenAlert): a is Alert => 'id' in a;

const SILENT_LOG: EngineLogger = { warn() {}, error() {} };

export class AlertEngine {
  readonly now: () => number;
  private readonly store: Store;
  private readonly notifier: AlertNotifier;
  private externalUrl: string;
  private readonly tickMs: number;
  private readonly batchSize: number;
  private readonly log: EngineLogger;
  private readonly mutex = new Mutex();
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The cursor as this engine last stored it (see `cursor()`). */
  private knownCursor: number | null = null;

  constructor(options: AlertEngineOptions) {
    this.store = options.store;
    this.notifier = options.notifier;
    this.externalUrl = options.externalUrl.replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.log = options.log ?? SILENT_LOG;
  }

  /** Base URL for links, once the server knows where it listens. */
  setExternalUrl(url: string): void {
    this.externalUrl = url.replace(/\/+$/, '');
  }

  /** Follows results and ticks every `tickMs` until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.poke(), this.tickMs);
    this.timer.unref();
    void this.poke();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.mutex.run(async () => {});
  }

  /**
   * Reads new results and notifies what is due; evaluation calls it after writing results.
   * Pokes during a run coalesce into one more run. Never rejects (failures are logged).
   */
  poke(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.mutex.run(async () => {
      this.queued = null;
      if (this.stopped) return;
      try {
        await this.processResults();
        await this.notify();
      } catch (error) {
        this.log.error({ err: error }, 'alert engine step failed');
      }
    });
    this.queued = run;
    return run;
  }

  /**
   * Processes every result after the cursor, one batch (one transaction) at a time. A batch
   * shorter than `batchSize` was the last one: results stored after its read come with a poke
   * of their own, which runs again.
   */
  async processResults(): Promise<number> {
    let total = 0;
    for (;;) {
      const cursor = await this.cursor();
      const results = await this.store.results.listAfter(cursor, this.batchSize);
      if (results.length > 0) {
        try {
          await this.processBatch(results);
        } catch (error) {
          this.knownCursor = null; // the batch's transaction may or may not have committed
          throw error;
        }
        this.knownCursor = results.at(-1)!.seq;
        total += results.length;
      }
      if (results.length < this.batchSize) return total;
    }
  }

  /**
   * The stored cursor. Only this engine moves it (each batch's transaction stores it), so when
   * this process is the store's only user it is kept in memory after its first read.
   */
  private async cursor(): Promise<number> {
    if (this.knownCursor !== null && this.store.exclusive) return this.knownCursor;
    return this.store.alerts.cursor();
  }

  private async processBatch(results: MonitorResult[]): Promise<void> {
    const nowMs = this.now();
    const repo = this.store.alerts;
    const modelIds = [...new Set(results.map((r) => r.modelId))];
    const models = new Map<number, { name: string; projectId: number }>();
    for (const [id, model] of await this.store.getModelsByIds(modelIds))
      models.set(id, { name: model.name, projectId: model.projectId });
    // One read for the batch's models: a batch holds the results of many models' monitors.
    const monitors = new Map<number, string>();
    for (const monitor of await this.store.monitors.listForModels([...models.keys()]))
      monitors.set(monitor.id, monitor.name);
    const rulesByModel = new Map<number, EffectiveRule[]>();
    for (const row of await repo.rulesOfModels(modelIds)) {
      const list = rulesByModel.get(row.modelId) ?? [];
      list.push({ id: row.id, name: row.name, spec: row.spec });
      rulesByModel.set(row.modelId, list);
    }
    const defaultChannels = new Map<number, string[]>();
    const channelsOf = async (rule: EffectiveRule, projectId: number) => {
      if (rule.id !== null) return rule.spec.channels;
      let channels = defaultChannels.get(projectId);
      if (!channels) {
        channels = await this.notifier.defaultChannels(projectId);
        defaultChannels.set(projectId, channels);
      }
      return channels;
    };

    // Which rule watches which result, under which labels.
    const items: {
      result: MonitorResult;
      rule: EffectiveRule;
      labels: Record<string, string>;
      fp: string;
    }[] = [];
    for (const result of results) {
      const model = models.get(result.modelId);
      const monitor = monitors.get(result.monitorId);
      if (!model || monitor === undefined) continue; // deleted since: nothing to alert on
      const series = seriesLabels(result, model.name, monitor);
      const rules = rulesByModel.get(result.modelId) ?? DEFAULT_RULES.map((r) => ({ id: null, ...r }));
      for (const rule of rules) {
        if (!rule.spec.enabled || !matchesAll(rule.spec.match, series)) continue;
        const labels = alertLabels(series, rule);
        items.push({ result, rule, labels, fp: fingerprint(labels) });
      }
    }

    const fps = [...new Set(items.map((i) => i.fp))];
    const states = new Map((await repo.seriesStates(fps)).map((s) => [s.fingerprint, s]));
    const open = new Map<string, OpenAlert>((await repo.openAlerts(fps)).map((a) => [a.fingerprint, a]));
    const dirtySeries = new Set<SeriesState>();
    const inserts = new Set<NewAlert>();
    const updates = new Map<number, Alert>();
    const deletes = new Set<number>();
    const groups = new Map<string, GroupDefinition>();

    // Declared once, not per item: closures made in the loop cost an allocation each (and,
    // run from source, a call that names them).
    const touch = (alert: OpenAlert) => {
      if (hasId(alert)) updates.set(alert.id, alert);
    };
    const resolve = (alert: OpenAlert, fp: string) => {
      alert.state = 'resolved';
      alert.resolvedAtMs = nowMs;
      alert.updatedAtMs = nowMs;
      touch(alert);
      open.delete(fp);
    };
    const drop = (alert: OpenAlert, fp: string) => {
      if (hasId(alert)) {
        deletes.add(alert.id);
        updates.delete(alert.id);
      } else inserts.delete(alert);
      open.delete(fp);
    };

    for (const { result, rule, labels, fp } of items) {
      const model = models.get(result.modelId)!;
      let state = states.get(fp);
      if (!state) {
        state = {
          fingerprint: fp,
          modelId: result.modelId,
          ruleId: rule.id,
          windows: [],
          detector: null,
          lastFedMicros: null,
        };
        states.set(fp, state);
      }
      const keep = Math.max(rule.spec.for_windows.of, MIN_WINDOWS_KEPT);
      if (!recordWindow(state, rule.spec, result, keep)) continue;
      dirtySeries.add(state);

      const condition = seriesCondition(state.windows, rule.spec.for_windows);
      const window = evidenceWindow(state.windows)!;
      let current = open.get(fp);
      if (current && (condition === 'inactive' || (condition === 'pending' && current.state === 'firing'))) {
        if (current.state === 'pending') drop(current, fp);
        else resolve(current, fp);
        current = undefined;
      }
      if (condition === 'inactive') continue;

      const channels = await channelsOf(rule, model.projectId);
      const group = groupKey(rule.spec.group_by, labels);
      const groupIds: string[] = [];
      const defineGroup = (kind: 'alert' | 'retrain', channel: string) => {
        const id = groupId(model.projectId, kind, channel, group.key);
        groupIds.push(id);
        if (condition === 'firing') {
          groups.set(id, {
            id,
            projectId: model.projectId,
            kind,
            channel,
            groupKey: group.key,
            groupLabels: group.labels,
            waitMs: rule.spec.group_wait_seconds * 1000,
            intervalMs: rule.spec.group_interval_seconds * 1000,
            repeatMs: rule.spec.repeat_interval_seconds * 1000,
          });
        }
      };
      for (const channel of channels) defineGroup('alert', channel);
      if (rule.spec.retrain_channel) defineGroup('retrain', rule.spec.retrain_channel);

      const fields = {
        labels,
        annotations: buildAnnotations(rule.spec, labels, window, this.externalUrl),
        value: window.value,
        thresholdLower: window.lower,
        thresholdUpper: window.upper,
        windowStartMicros: window.startMicros,
        windowEndMicros: window.endMicros,
        updatedAtMs: nowMs,
        groupIds,
        ruleName: rule.name,
      };
      if (!current) {
        const created: NewAlert = {
          fingerprint: fp,
          projectId: model.projectId,
          modelId: result.modelId,
          ruleId: rule.id,
          state: condition,
          activeAtMs: nowMs,
          firedAtMs: condition === 'firing' ? nowMs : null,
          resolvedAtMs: null,
          ...fields,
        };
        inserts.add(created);
        open.set(fp, created);
      } else {
        if (current.state === 'pending' && condition === 'firing') {
          current.state = 'firing';
          current.firedAtMs = nowMs;
        }
        Object.assign(current, fields);
        touch(current);
      }
    }

    await repo.applyEvaluation({
      cursor: results.at(-1)!.seq,
      series: [...dirtySeries],
      insertAlerts: [...inserts],
      updateAlerts: [...updates.values()],
      deleteAlerts: [...deletes],
      groups: [...groups.values()],
    });
  }

  /** Sends what is due in every group; returns how many notifications were enqueued. */
  async notify(): Promise<number> {
    const nowMs = this.now();
    const repo = this.store.alerts;
    const firing = await repo.firingAlerts();
    const groups = await repo.groupsToCheck([...new Set(firing.flatMap((a) => a.groupIds))]);
    if (groups.length === 0) return 0;
    const silences = await repo.activeSilences(nowMs);
    const muted = mutedAlerts(firing, silences);

    const members = new Map<string, Alert[]>();
    for (const alert of firing) {
      for (const id of alert.groupIds) {
        const list = members.get(id) ?? [];
        list.push(alert);
        members.set(id, list);
      }
    }
    const resolvedFps = new Map<string, string[]>();
    for (const group of groups) {
      const present = new Set((members.get(group.id) ?? []).map((a) => a.fingerprint));
      resolvedFps.set(
        group.id,
        group.lastNotifiedFiring.filter((fp) => !present.has(fp)),
      );
    }
    const latest = new Map(
      (await repo.latestAlerts([...new Set([...resolvedFps.values()].flat())])).map((a) => [
        a.fingerprint,
        a,
      ]),
    );

    let sent = 0;
    for (const group of groups) {
      const notifiable = (members.get(group.id) ?? []).filter((a) => !muted.has(a.id));
      const resolved = resolvedFps
        .get(group.id)!
        .map((fp) => latest.get(fp))
        .filter((a): a is Alert => a !== undefined && a.state === 'resolved');
      const decision = decideGroup(group, notifiable, resolved, nowMs);
      if (decision.send) {
        const evidence = group.kind === 'retrain' ? await this.evidence(decision.send.firing) : undefined;
        const notification = buildNotification(
          group,
          decision.send.firing,
          decision.send.resolved,
          this.externalUrl,
          evidence,
        );
        try {
          await this.notifier.deliver(group.projectId, group.channel, notification, dedupKey(group));
        } catch (error) {
          this.log.warn(
            { err: error, group: group.groupKey, channel: group.channel },
            'could not enqueue a notification',
          );
          continue;
        }
        sent++;
      }
      if (decision.patch) await repo.updateGroup(group.id, decision.patch);
    }
    return sent;
  }

  /** What a retraining job needs: which series, which windows and values, and where to fetch them. */
  private async evidence(alerts: Alert[]): Promise<Record<string, unknown>> {
    const states = new Map(
      (await this.store.alerts.seriesStates(alerts.map((a) => a.fingerprint))).map((s) => [s.fingerprint, s]),
    );
    return {
      alerts: alerts.map((alert) => {
        const windows = states.get(alert.fingerprint)?.windows ?? [];
        const from = windows[0]?.startMicros ?? alert.windowStartMicros;
        const to = windows.at(-1)?.endMicros ?? alert.windowEndMicros;
        return {
          fingerprint: alert.fingerprint,
          model: alert.labels.model,
          monitor: alert.labels.monitor,
          feature: alert.labels.feature ?? null,
          metric: alert.labels.metric,
          version: alert.labels.version ?? null,
          segment: alert.labels.segment ?? null,
          windows: windows.map((w) => ({
            start: new Date(w.startMicros / 1000).toISOString(),
            end: new Date(w.endMicros / 1000).toISOString(),
            value: w.value,
            threshold_lower: w.lower,
            threshold_upper: w.upper,
            breach: w.outcome === 'breach',
          })),
          results_url: resultsUrl(this.externalUrl, alert.labels, from, to),
          alert_url: `${this.externalUrl}/api/v1/alerts/${alert.id}`,
        };
      }),
    };
  }
}

/** The n-th notification of a group has the same key however often it is enqueued. */
export function dedupKey(group: AlertGroup): string {
  return `${group.id}:${group.notifyCount + 1}`;
}

/**
 * Firing alerts that an inhibition rule mutes now, each with the firing alerts that inhibit it
 * (as Alertmanager's `inhibitedBy`). An inhibited alert still fires; it is not notified, and the
 * dashboard does not count it as open.
 */
export function inhibitions(firing: Alert[]): Map<number, number[]> {
  // Sources of each inhibition, keyed by project and the labels that must be equal: one lookup per target.
  const sources = INHIBIT_RULES.map((rule) => {
    const byKey = new Map<string, number[]>();
    for (const source of firing) {
      if (source.state !== 'firing' || !matchesAll(rule.source, source.labels)) continue;
      if (rule.sourceValue !== undefined && !rule.sourceValue(source.value)) continue;
      const key = JSON.stringify([source.projectId, ...rule.equal.map((l) => source.labels[l] ?? '')]);
      const ids = byKey.get(key) ?? [];
      ids.push(source.id);
      byKey.set(key, ids);
    }
    return byKey;
  });
  const inhibited = new Map<number, number[]>();
  for (const alert of firing) {
    if (alert.state !== 'firing') continue;
    const by = new Set<number>();
    INHIBIT_RULES.forEach((rule, i) => {
      if (!matchesAll(rule.target, alert.labels)) return;
      const key = JSON.stringify([alert.projectId, ...rule.equal.map((l) => alert.labels[l] ?? '')]);
      for (const id of sources[i]!.get(key) ?? []) if (id !== alert.id) by.add(id);
    });
    if (by.size > 0)
      inhibited.set(
        alert.id,
        [...by].sort((a, b) => a - b),
      );
  }
  return inhibited;
}

/** Alerts that are silenced or inhibited now. */
export function mutedAlerts(firing: Alert[], silences: Silence[]): Set<number> {
  const muted = new Set(inhibitions(firing).keys());
  for (const alert of firing) {
    if (silences.some((s) => s.projectId === alert.projectId && matchesAll(s.matchers, alert.labels))) {
      muted.add(alert.id);
    }
  }
  return muted;
}
