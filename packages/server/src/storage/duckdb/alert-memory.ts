/**
 * What the alert engine reads for every batch of results (series states, open alerts, rules),
 * kept in memory so that a batch does not read back what the previous one wrote. The process is
 * the store's only user and the engine the only writer of series and of the alerts' life cycle:
 * each of its committed batches is applied here as the tables changed, and every other write
 * that can change these (rule edits, acknowledgements, a model's deletion) forgets everything at
 * its start and at its end. A failed batch forgets too (it may or may not have committed). Keys
 * not held are read from the tables, and a read that a forgetting write overlapped is not kept.
 */
import type { Alert } from '../../domain/index.js';
import type { AlertRuleRow, SeriesState } from '../alerts.js';
import { forgettingAround } from './forgetting.js';

/**
 * Beyond this many keys in one kind, the oldest written are dropped (a series state with its
 * windows is about 1 KB): a dropped key is read from the table again when next asked for.
 */
const MAX_KEYS = 200_000;

/** A key's value, or null when the table holds none. */
class KeyedMemory<K, V> {
  private readonly values = new Map<K, V | null>();

  constructor(
    private readonly keyOf: (value: V) => K,
    private readonly copy: (value: V) => V,
  ) {}

  clear(): void {
    this.values.clear();
  }

  /** The values held for `keys` (copies), and the keys not held. */
  lookup(keys: readonly K[]): { held: V[]; missing: K[] } {
    const held: V[] = [];
    const missing: K[] = [];
    for (const key of keys) {
      const value = this.values.get(key);
      if (value === undefined) missing.push(key);
      else if (value !== null) held.push(this.copy(value));
    }
    return { held, missing };
  }

  /** What the table holds for `keys`: `values`, and nothing for the other keys. */
  set(keys: readonly K[], values: readonly V[]): void {
    for (const key of keys) this.put(key, null);
    for (const value of values) this.put(this.keyOf(value), this.copy(value));
  }

  put(key: K, value: V | null): void {
    this.values.delete(key); // re-inserted last: the oldest written go first
    this.values.set(key, value);
    if (this.values.size > MAX_KEYS) {
      const oldest = this.values.keys().next().value as K;
      this.values.delete(oldest);
    }
  }
}

export function copySeries(state: SeriesState): SeriesState {
  return {
    ...state,
    windows: state.windows.map((w) => ({ ...w })),
    detector:
      state.detector === null || state.detector === undefined ? null : structuredClone(state.detector),
  };
}

export function copyAlert(alert: Alert): Alert {
  return {
    ...alert,
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    groupIds: [...alert.groupIds],
  };
}

const copyRules = (rules: AlertRuleRow[]): AlertRuleRow[] =>
  rules.map((rule) => ({ ...rule, spec: structuredClone(rule.spec) }));

export class AlertMemory {
  readonly series = new KeyedMemory<string, SeriesState>((s) => s.fingerprint, copySeries);
  /** The pending or firing alert of each fingerprint. */
  readonly open = new KeyedMemory<string, Alert>((a) => a.fingerprint, copyAlert);
  /** Each model's rules (null, so nothing, for a model known to have none). */
  readonly rules = new KeyedMemory<number, AlertRuleRow[]>((rules) => rules[0]!.modelId, copyRules);
  private epoch = 0;

  forget(): void {
    this.epoch++;
    this.series.clear();
    this.open.clear();
    this.rules.clear();
  }

  /** Runs a write whose effect on what is kept here is not tracked. */
  untracked<T>(write: () => Promise<T>): Promise<T> {
    return forgettingAround(() => this.forget(), write);
  }

  /**
   * The values of `keys`: those held, and the others read by `load` (kept unless a forgetting
   * write overlapped the read).
   */
  async read<K, V>(memory: KeyedMemory<K, V>, keys: readonly K[], load: (keys: K[]) => Promise<V[]>) {
    const { held, missing } = memory.lookup(keys);
    if (missing.length === 0) return held;
    const epoch = this.epoch;
    const loaded = await load(missing);
    if (epoch === this.epoch) memory.set(missing, loaded);
    return [...held, ...loaded];
  }

  /**
   * Runs one batch of the engine; `write` resolves, once committed, to what the tables now hold
   * for the batch's keys, which is kept. A failure forgets everything.
   */
  async applying(
    write: () => Promise<{ series: SeriesState[]; open: { fingerprint: string; alert: Alert | null }[] }>,
  ): Promise<void> {
    let written: Awaited<ReturnType<typeof write>>;
    try {
      written = await write();
    } catch (error) {
      this.forget();
      throw error;
    }
    for (const state of written.series) this.series.put(state.fingerprint, copySeries(state));
    for (const { fingerprint, alert } of written.open)
      this.open.put(fingerprint, alert === null ? null : copyAlert(alert));
  }
}
