/**
 * Vigil's own alias API: the model's aliases now, moving one, its history (what held it
 * when), and roll back (the alias returns to its previous holder, recorded in the history).
 */
import { z } from 'zod';
import { loadModel } from '../api/load-model.js';
import { timeParam } from '../api/query-params.js';
import { ErrorBody, errorResponses } from '../api/schemas/common.js';
import { ModelParams } from '../api/schemas/models.js';
import type { TypedApp } from '../api/typed-app.js';
import type { AppContext } from '../app.js';
import { ComparisonService } from '../compare/index.js';
import { BadRequestError, ConflictError, NotFoundError, VigilError } from '../errors.js';
import { parseTimestamp } from '../ingest/timestamps.js';
import type { AliasHolding } from '../storage/registry.js';
import { evaluateGate } from './gate.js';
import { evaluateLiveChecks } from './live-gate.js';
import { aliasProblem, RegistryService } from './service.js';

const AliasHoldingSchema = z
  .object({
    alias: z.string(),
    version: z.string(),
    from: z.string().describe('When this version began to hold the alias.'),
    to: z.string().nullable().describe('When it stopped; null while it holds the alias.'),
    set_by: z.string().describe('Who set it: `api-key:<id>` or `user:<name>`.'),
    reason: z.enum(['set', 'rollback']),
    ended_by: z.enum(['moved', 'deleted', 'rolled_back']).nullable(),
  })
  .meta({ id: 'AliasHolding' });

// No maxLength, as for model names: the router answers a longer segment 414 (MAX_NAME_LENGTH).
const AliasParams = ModelParams.extend({ alias: z.string().min(1) });

const MetricCheckSchema = z
  .object({
    metric: z.string().min(1).max(250),
    greater_is_better: z.boolean(),
    source: z
      .enum(['run', 'live', 'live_estimated'])
      .default('run')
      .describe(
        "Where the metric comes from: the versions' run metrics (`run`, the default); their labelled performance on the same production " +
          'traffic, compared paired (`live`: accuracy, precision, recall, f1, roc_auc, macro_recall, mae, rmse as fit the task); or their ' +
          'estimated performance before labels (`live_estimated`: CBPE accuracy, precision, recall, f1 of a binary classifier).',
      ),
    threshold: z.number().optional().describe('The candidate must be at least (or at most) this.'),
    min_absolute_change: z.number().optional().describe('Least improvement over the current holder.'),
    min_relative_change: z
      .number()
      .optional()
      .describe('Least improvement over the current holder, as a fraction of its value.'),
    require_significant: z
      .boolean()
      .default(false)
      .describe(
        '`live` only: the paired test must also find the candidate better than the holder (its interval of the difference excludes 0 on the better side).',
      ),
  })
  .refine(
    (c) =>
      c.threshold !== undefined ||
      c.min_absolute_change !== undefined ||
      c.min_relative_change !== undefined ||
      c.require_significant,
    { message: 'give threshold, min_absolute_change, min_relative_change or require_significant' },
  )
  .refine((c) => !c.require_significant || c.source === 'live', {
    message: 'require_significant needs source "live" (a paired test on labelled traffic)',
    path: ['require_significant'],
  })
  .meta({ id: 'MetricCheck' });

const LiveWindowSchema = z
  .object({
    from: z
      .union([z.string(), z.number()])
      .optional()
      .describe('Start of the traffic compared (RFC 3339 or epoch number); default: 7 days before `to`.'),
    to: z.union([z.string(), z.number()]).optional().describe('End of the traffic compared; default: now.'),
    min_labelled: z
      .number()
      .int()
      .min(0)
      .default(100)
      .describe('Fewest labelled pairs a `live` check accepts; with fewer it fails.'),
    confidence: z.number().min(0.5).max(0.999).default(0.95).describe('Confidence of the paired intervals.'),
  })
  .meta({ id: 'LiveGateWindow' });

const CheckResultSchema = z
  .object({
    metric: z.string(),
    check: z.enum(['threshold', 'min_absolute_change', 'min_relative_change', 'significant_improvement']),
    source: z.enum(['run', 'live', 'live_estimated']),
    passed: z.boolean(),
    skipped: z.boolean().describe('True when nothing holds the alias, so there is nothing to compare with.'),
    candidate: z.number().nullable(),
    baseline: z.number().nullable(),
    required: z
      .number()
      .describe('The threshold or least change; for `significant_improvement`, the test level α.'),
    message: z.string(),
    live: z
      .object({
        from: z.string(),
        to: z.string(),
        pairs: z.number().int(),
        labelled: z.number().int(),
        difference: z.number().nullable().describe('candidate − holder'),
        lower: z.number().nullable(),
        upper: z.number().nullable(),
        p_value: z.number().nullable(),
      })
      .nullable()
      .describe('For live checks: the paired comparison the numbers come from.'),
  })
  .meta({ id: 'PromotionCheck' });

/** The 409 of a refused promotion: the message names each failed check; `details` lists every check. */
const PromotionRefusedSchema = ErrorBody.extend({
  error: z.literal('promotion_refused'),
  details: z
    .array(CheckResultSchema)
    .describe('Every check, passed or failed, as a promotion would list them.'),
}).meta({ id: 'PromotionRefused' });

function present(holding: AliasHolding) {
  return {
    alias: holding.alias,
    version: holding.versionName,
    from: new Date(holding.fromMs).toISOString(),
    to: holding.toMs === null ? null : new Date(holding.toMs).toISOString(),
    set_by: holding.setBy,
    reason: holding.reason,
    ended_by: holding.endedBy,
  };
}

/** A time of the live window (RFC 3339 or epoch number) as epoch microseconds. */
function liveTime(field: string, raw: string | number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseTimestamp(raw);
  if (!parsed.ok) throw new BadRequestError(`Body field "${field}": ${parsed.error}.`);
  return parsed.micros;
}

function checkAlias(alias: string): void {
  const problem = aliasProblem(alias);
  if (problem) throw new BadRequestError(`Alias "${alias}" is not accepted: ${problem}.`);
}

export function registerRegistryRoutes(
  app: TypedApp,
  context: AppContext,
  now: () => number = Date.now,
): void {
  const { store } = context;
  const registry = new RegistryService(store, now);
  const comparisons = new ComparisonService(store, now);

  app.get(
    '/api/v1/models/:model/aliases',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['registry'],
        summary: "The model's aliases and the version each points to now",
        params: ModelParams,
        response: { 200: z.object({ data: z.array(AliasHoldingSchema) }) },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return { data: (await store.registry.currentAliases(model.id)).map(present) };
    },
  );

  app.get(
    '/api/v1/models/:model/alias-history',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['registry'],
        summary: 'Every holding of every alias of the model, newest first, deleted aliases included',
        description:
          "The model's whole alias timeline in one answer: the aliases set now and the ones removed since " +
          '(their last holding has `ended_by: "deleted"` and ends when the alias was removed).',
        params: ModelParams,
        response: { 200: z.object({ data: z.array(AliasHoldingSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return { data: (await store.registry.modelAliasHistory(model.id)).map(present) };
    },
  );

  app.put(
    '/api/v1/models/:model/aliases/:alias',
    {
      config: { scope: 'write', audit: { entity: 'alias', action: 'set' } },
      schema: {
        tags: ['registry'],
        summary: 'Point an alias at a version (creates or moves it; recorded in its history)',
        params: AliasParams,
        body: z.object({ version: z.string().min(1).max(200) }).meta({ id: 'SetAlias' }),
        response: { 200: AliasHoldingSchema, ...errorResponses },
      },
    },
    async (request) => {
      checkAlias(request.params.alias);
      const model = await loadModel(context, request, request.params.model);
      const version = await registry.findVersion(model, request.body.version);
      if (!version) {
        throw new NotFoundError(`Model "${model.name}" has no version "${request.body.version}".`);
      }
      return present(await registry.setAlias(model, request.params.alias, version, request.auth.actor));
    },
  );

  app.delete(
    '/api/v1/models/:model/aliases/:alias',
    {
      config: { scope: 'write', audit: { entity: 'alias', action: 'delete' } },
      schema: {
        tags: ['registry'],
        summary: 'Remove an alias (its history stays)',
        params: AliasParams,
        response: { 200: z.object({ deleted: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      if (!(await store.registry.deleteAlias(model.id, request.params.alias, now()))) {
        throw new NotFoundError(`Model "${model.name}" has no alias "${request.params.alias}".`);
      }
      return { deleted: request.params.alias };
    },
  );

  app.get(
    '/api/v1/models/:model/aliases/:alias/history',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['registry'],
        summary: 'Every version that held the alias, newest first; with `at`, the one that held it then',
        params: AliasParams,
        querystring: z.object({
          at: z
            .string()
            .optional()
            .describe('An instant (RFC 3339 or epoch number): only the holding at that time.'),
        }),
        response: { 200: z.object({ data: z.array(AliasHoldingSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const atMicros = timeParam('at', request.query.at);
      const history = await store.registry.aliasHistory(
        model.id,
        request.params.alias,
        atMicros === undefined ? undefined : Math.floor(atMicros / 1000),
      );
      return { data: history.map(present) };
    },
  );

  app.post(
    '/api/v1/models/:model/aliases/:alias/rollback',
    {
      config: { scope: 'write', audit: { entity: 'alias', action: 'rollback' } },
      schema: {
        tags: ['registry'],
        summary: 'Return the alias to the version that held it before (recorded in its history)',
        params: AliasParams,
        response: {
          200: z
            .object({ current: AliasHoldingSchema, rolled_back_from: AliasHoldingSchema })
            .meta({ id: 'RollbackResult' }),
          ...errorResponses,
          409: ErrorBody.describe('No earlier version to return to.'),
        },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const result = await store.registry.rollbackAlias(
        model.id,
        request.params.alias,
        request.auth.actor,
        now(),
      );
      if (result.outcome === 'not_set') {
        throw new NotFoundError(`Model "${model.name}" has no alias "${request.params.alias}" to roll back.`);
      }
      if (result.outcome === 'no_previous') {
        throw new ConflictError(
          `Alias "${request.params.alias}" of model "${model.name}" has no earlier version to return to.`,
        );
      }
      const from = (await store.registry.aliasHistory(model.id, request.params.alias)).find(
        (h) => h.id === result.previous.id,
      )!;
      return { current: present(result.holding), rolled_back_from: present(from) };
    },
  );

  app.post(
    '/api/v1/models/:model/aliases/:alias/promote',
    {
      config: { scope: 'write', audit: { entity: 'alias', action: 'promote' } },
      schema: {
        tags: ['registry'],
        summary:
          'Point an alias at a version if its metrics pass the given checks against the current holder',
        description:
          "As MLflow's MetricThreshold: each check compares the candidate's metrics with an absolute threshold and with the version " +
          'holding the alias now. Metrics come from the versions\' runs (copied at registration) or, with `source: "live"` / ' +
          '`"live_estimated"`, from production traffic: the candidate and the holder compared paired on the same prediction ids ' +
          '(GET …/compare) over `live.from`–`live.to`; `require_significant` also asks the paired test to find the candidate better. ' +
          'A refused promotion is a 409 whose message names each failed check with the numbers and whose `details` list every check.',
        params: AliasParams,
        body: z
          .object({
            version: z.string().min(1).max(200),
            checks: z.array(MetricCheckSchema).max(100).default([]),
            live: LiveWindowSchema.optional().describe('The production traffic live checks compare on.'),
          })
          .meta({ id: 'PromoteVersion' }),
        response: {
          200: z
            .object({ current: AliasHoldingSchema, checks: z.array(CheckResultSchema) })
            .meta({ id: 'PromotionResult' }),
          ...errorResponses,
          409: {
            description:
              'Refused: a check failed. The message names each failed check with its numbers; `details` lists every check.',
            content: { 'application/json': { schema: PromotionRefusedSchema } },
          },
        },
      },
    },
    async (request) => {
      checkAlias(request.params.alias);
      const model = await loadModel(context, request, request.params.model);
      const candidate = await registry.findVersion(model, request.body.version);
      if (!candidate) {
        throw new NotFoundError(`Model "${model.name}" has no version "${request.body.version}".`);
      }
      const holder = (await store.registry.currentAliases(model.id)).find(
        (a) => a.alias === request.params.alias,
      );
      const baseline = holder ? await store.getModelVersion(model.id, holder.versionName) : null;
      const toCheck = (c: (typeof request.body.checks)[number]) => ({
        metric: c.metric,
        greaterIsBetter: c.greater_is_better,
        ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
        ...(c.min_absolute_change !== undefined ? { minAbsoluteChange: c.min_absolute_change } : {}),
        ...(c.min_relative_change !== undefined ? { minRelativeChange: c.min_relative_change } : {}),
      });
      const runChecks = request.body.checks.filter((c) => c.source === 'run');
      const liveChecks = request.body.checks.filter((c) => c.source !== 'run');
      const runResults = evaluateGate(runChecks.map(toCheck), candidate, baseline).map((r) => ({
        ...r,
        source: 'run' as const,
        live: null,
      }));
      const live = request.body.live;
      const liveResults = await evaluateLiveChecks(
        comparisons,
        model,
        candidate.name,
        holder?.versionName ?? null,
        liveChecks.map((c) => ({
          ...toCheck(c),
          source: c.source as 'live' | 'live_estimated',
          requireSignificant: c.require_significant,
        })),
        {
          fromMicros: liveTime('live.from', live?.from),
          toMicros: liveTime('live.to', live?.to),
          minLabelled: live?.min_labelled ?? 100,
          confidence: live?.confidence ?? 0.95,
        },
      );
      const results = [...runResults, ...liveResults];
      const failed = results.filter((r) => !r.passed);
      if (failed.length > 0) {
        throw new VigilError(
          409,
          'promotion_refused',
          `Version ${candidate.name} was not promoted to "${request.params.alias}": ${failed.map((r) => r.message).join('; ')}.`,
          results,
        );
      }
      const holding = await registry.setAlias(model, request.params.alias, candidate, request.auth.actor);
      return { current: present(holding), checks: results };
    },
  );
}
