/**
 * Vigil's own alias API: the model's aliases now, moving one, its history (what held it
 * when), and roll back (the alias returns to its previous holder, recorded in the history).
 */
import { z } from 'zod';
import { loadModel } from '../api/load-model.js';
import { timeParam } from '../api/query-params.js';
import { errorResponses } from '../api/schemas/common.js';
import { ModelParams } from '../api/schemas/models.js';
import type { TypedApp } from '../api/typed-app.js';
import type { AppContext } from '../app.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { AliasHolding } from '../storage/registry.js';
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

  app.put(
    '/api/v1/models/:model/aliases/:alias',
    {
      config: { scope: 'write' },
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
      config: { scope: 'write' },
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
      config: { scope: 'write' },
      schema: {
        tags: ['registry'],
        summary: 'Return the alias to the version that held it before (recorded in its history)',
        params: AliasParams,
        response: {
          200: z.object({ current: AliasHoldingSchema, rolled_back_from: AliasHoldingSchema }),
          ...errorResponses,
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
}
