import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, rule } from '../../alerts/engine.test-support.js';
import type { SeriesState } from '../alerts.js';
import type { DuckDbDatabase } from './database.js';
import type { DuckDbStore } from './store.js';

const SEC = 1000;
const FEATURES = ['f0', 'f1', 'f2'];

type Command =
  | { kind: 'window'; index: number; values: (number | null)[]; traffic: boolean }
  | { kind: 'step'; advanceMs: number }
  | { kind: 'acknowledge' }
  | { kind: 'createRule' | 'updateRule' | 'deleteRule'; breaches: number }
  | { kind: 'silence' }
  | { kind: 'failBatch'; committed: boolean };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('window' as const),
      index: fc.integer({ min: 0, max: 4 }),
      values: fc.array(fc.constantFrom(null, 0.01, 0.5, 2000), { minLength: 3, maxLength: 3 }),
      traffic: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      advanceMs: fc.constantFrom(0, SEC, 300 * SEC, 4 * 3600 * SEC),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'acknowledge' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('createRule' as const, 'updateRule' as const, 'deleteRule' as const),
      breaches: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'silence' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('failBatch' as const), committed: fc.boolean() }) },
);

const repository = (h: Harness) => (h.store as DuckDbStore).alerts;

/** The repository's reads of the tables, which its engine reads go to for keys not in memory. */
const TABLE_READS = {
  seriesStates: 'readSeriesStates',
  openAlerts: 'readOpenAlerts',
  rulesOfModels: 'readRulesOfModels',
} as const;

const tableRead = (h: Harness, method: keyof typeof TABLE_READS) => {
  const alerts = repository(h) as unknown as Record<string, (keys: never[]) => Promise<unknown>>;
  return alerts[TABLE_READS[method]]!.bind(alerts);
};

/** An engine that reads series, open alerts and rules from the tables for every batch. */
function readEveryBatch(h: Harness): Harness {
  const alerts = repository(h) as unknown as Record<string, unknown>;
  for (const method of Object.keys(TABLE_READS) as (keyof typeof TABLE_READS)[])
    alerts[method] = tableRead(h, method);
  return h;
}

/**
 * Makes the next write transaction fail: rolled back, or committed but reported as failed (a
 * lost acknowledgement: the engine cannot tell which).
 */
function failNextTransaction(h: Harness, committed: boolean): () => void {
  const db = (h.store as unknown as { db: DuckDbDatabase }).db;
  const transaction = db.transaction.bind(db);
  const restore = () => {
    delete (db as { transaction?: unknown }).transaction; // the prototype's again
  };
  db.transaction = async <T>(body: () => Promise<T>): Promise<T> => {
    restore();
    if (committed) {
      await transaction(body);
    } else {
      await transaction(async () => {
        await body();
        throw new Error('rolled back');
      });
    }
    throw new Error('the write failed');
  };
  return restore;
}

async function run(h: Harness, c: Command): Promise<void> {
  const alerts = repository(h);
  const nowMs = h.clock.ms;
  switch (c.kind) {
    case 'window': {
      const which = c.traffic ? h.traffic : h.monitor;
      await h.window(c.index, Object.fromEntries(FEATURES.map((f, i) => [f, c.values[i]!])), which);
      return;
    }
    case 'step':
      return h.step(c.advanceMs);
    case 'acknowledge': {
      const open = await alerts.listAlerts({ projectId: h.model.projectId, limit: 1000, state: 'firing' });
      const oldest = open.at(-1);
      if (oldest) await alerts.acknowledge(oldest.id, 'ana', nowMs);
      return;
    }
    case 'createRule': {
      if (await alerts.getRule(h.model.id, 'r')) return;
      const spec = rule({ for_windows: { breaches: c.breaches, of: 2 } });
      await alerts.createRule({ modelId: h.model.id, name: 'r', spec, nowMs });
      return;
    }
    case 'updateRule': {
      const current = await alerts.getRule(h.model.id, 'r');
      const spec = rule({ for_windows: { breaches: c.breaches, of: 3 }, match: [] });
      if (current) await alerts.updateRule(current.id, { spec }, nowMs);
      return;
    }
    case 'deleteRule': {
      const current = await alerts.getRule(h.model.id, 'r');
      if (current) await alerts.deleteRule(current.id, nowMs);
      return;
    }
    case 'silence':
      await alerts.createSilence({
        projectId: h.model.projectId,
        matchers: [{ label: 'feature', op: '=', value: 'f1' }],
        startsAtMs: nowMs,
        endsAtMs: nowMs + 600 * SEC,
        comment: 'maintenance',
        createdBy: 'ana',
        nowMs,
      });
      return;
    case 'failBatch': {
      const restore = failNextTransaction(h, c.committed);
      await h.step();
      restore();
      return;
    }
  }
}

/** Everything the engine's outcome consists of, as the tables hold it. */
async function outcome(h: Harness) {
  const alerts = repository(h);
  const stored = await alerts.listAlerts({ projectId: h.model.projectId, limit: 10_000 });
  const fingerprints = [...new Set(stored.map((a) => a.fingerprint))];
  const series = (await tableRead(h, 'seriesStates')(fingerprints as never[])) as SeriesState[];
  return {
    alerts: stored,
    series: series.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
    sent: h.notifier.sent,
  };
}

/** Runs `commands` on an engine with its reads kept and on one that reads the tables, and compares. */
async function expectSameOutcome(commands: Command[]): Promise<void> {
  const kept = await harness();
  const uncached = readEveryBatch(await harness());
  try {
    for (const c of commands) {
      await run(kept, c);
      await run(uncached, c);
    }
    await kept.step();
    await uncached.step();
    expect(await outcome(kept)).toEqual(await outcome(uncached));
  } finally {
    for (const h of [kept, uncached]) {
      await h.engine.stop();
      await h.store.close();
    }
  }
}

const drift = (index: number, value: number): Command => ({
  kind: 'window',
  index,
  values: [value, value, value],
  traffic: false,
});

describe('the alert engine with its reads kept in memory', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) {
      await h.engine.stop();
      await h.store.close();
    }
  });

  it('ends as the engine that reads every batch from the tables, whatever happens between batches (fixed seed)', async () => {
    const seed = 20261202;
    console.log(`fast-check seed for the alert memory property: ${seed}`);
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 20 }), expectSameOutcome), {
      seed,
      numRuns: 12,
    });
  }, 300_000);

  it('reads the tables after a batch whose write failed, committed or not', async () => {
    for (const committed of [true, false]) {
      await expectSameOutcome([
        drift(0, 0.5),
        { kind: 'step', advanceMs: SEC },
        drift(1, 0.01),
        { kind: 'failBatch', committed },
        drift(2, 0.5),
        { kind: 'step', advanceMs: SEC },
        drift(3, 0.5),
        { kind: 'step', advanceMs: 300 * SEC },
      ]);
    }
  });

  it('keeps the open alert of a series that fired, resolved and fired again within one batch', async () => {
    await expectSameOutcome([
      drift(0, 0.5),
      drift(1, 0.01),
      drift(2, 0.5),
      { kind: 'step', advanceMs: SEC },
      drift(3, 0.5),
      { kind: 'step', advanceMs: SEC },
      drift(4, 0.01),
      { kind: 'step', advanceMs: 300 * SEC },
    ]);
  });

  it('keeps an acknowledgement made while the engine evaluates the alert', async () => {
    const h = await harness();
    open.push(h);
    await h.window(0, { amount: 0.5 });
    await h.step();
    const [alert] = await h.store.alerts.listAlerts({
      projectId: h.model.projectId,
      limit: 10,
      severity: 'critical',
    });
    // The engine holds the alert as it was before the acknowledgement.
    const [before] = await h.store.alerts.openAlerts([alert!.fingerprint]);
    await h.store.alerts.acknowledge(alert!.id, 'ana', h.clock.ms);
    await h.store.alerts.applyEvaluation({
      cursor: await h.store.alerts.cursor(),
      series: [],
      insertAlerts: [],
      updateAlerts: [{ ...before!, value: 0.7 }],
      deleteAlerts: [],
      groups: [],
    });
    const after = await h.store.alerts.getAlert(alert!.id);
    expect(after).toMatchObject({ value: 0.7, acknowledgedBy: 'ana', acknowledgedAtMs: h.clock.ms });
  });

  it('reads the tables again after a rule edit closed what it kept', async () => {
    const h = await harness();
    open.push(h);
    await h.window(0, { amount: 0.5 });
    await h.step();
    const fingerprints = (await h.store.alerts.listAlerts({ projectId: h.model.projectId, limit: 10 })).map(
      (a) => a.fingerprint,
    );
    expect(await h.store.alerts.openAlerts(fingerprints)).toHaveLength(2);
    expect(await h.store.alerts.seriesStates(fingerprints)).toHaveLength(2);
    // The model's first rule replaces the default rules, closing their alerts and series.
    await h.store.alerts.createRule({ modelId: h.model.id, name: 'r', spec: rule({}), nowMs: h.clock.ms });
    expect(await h.store.alerts.openAlerts(fingerprints)).toEqual([]);
    expect(await h.store.alerts.seriesStates(fingerprints)).toEqual([]);
    expect((await h.store.alerts.rulesOfModels([h.model.id])).map((r) => r.name)).toEqual(['r']);
  });
});
