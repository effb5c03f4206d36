/** Alert rules (per model), alerts (list, get, acknowledge, comment) and silences. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inhibitions, matchesAll } from '../../alerts/index.js';
import type { AppContext } from '../../app.js';
import type { Alert, AlertComment, AlertRuleSpec, Silence } from '../../domain/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors.js';
import { parseTimestamp } from '../../ingest/timestamps.js';
import { AlertRuleNameTakenError, type AlertRuleRow } from '../../storage/alerts.js';
import type { ModelRow } from '../../storage/types.js';
import { loadModel } from '../load-model.js';
import {
  AckBody,
  AlertList,
  AlertParams,
  AlertQuery,
  AlertRule,
  AlertRuleBody,
  AlertRuleList,
  AlertRuleParams,
  Alert as AlertSchema,
  CommentBody,
  AlertComment as CommentSchema,
  SilenceBody,
  SilenceList,
  SilenceParams,
  SilenceQuery,
  Silence as SilenceSchema,
} from '../schemas/alerts.js';
import { errorResponses } from '../schemas/common.js';
import { ModelParams } from '../schemas/models.js';
import type { TypedApp } from '../typed-app.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function presentRule(rule: AlertRuleRow, model: ModelRow): z.infer<typeof AlertRule> {
  return {
    id: rule.id,
    model: model.name,
    name: rule.name,
    spec: rule.spec,
    created_at: iso(rule.createdAtMs),
    updated_at: iso(rule.updatedAtMs),
  };
}

function presentComment(comment: AlertComment): z.infer<typeof CommentSchema> {
  return { id: comment.id, author: comment.author, body: comment.body, created_at: iso(comment.createdAtMs) };
}

/** What mutes alerts now: the silences in force and the inhibitions among firing alerts. */
interface Suppression {
  silences: Silence[];
  inhibited: Map<number, number[]>;
}

function presentAlert(
  alert: Alert,
  { silences, inhibited }: Suppression,
  comments?: AlertComment[],
): z.infer<typeof AlertSchema> {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    state: alert.state,
    severity: alert.labels.severity ?? '',
    rule: alert.ruleName,
    labels: alert.labels,
    annotations: alert.annotations,
    value: alert.value,
    threshold_lower: alert.thresholdLower,
    threshold_upper: alert.thresholdUpper,
    window_start: new Date(alert.windowStartMicros / 1000).toISOString(),
    window_end: new Date(alert.windowEndMicros / 1000).toISOString(),
    active_at: iso(alert.activeAtMs),
    fired_at: isoOrNull(alert.firedAtMs),
    resolved_at: isoOrNull(alert.resolvedAtMs),
    acknowledged_at: isoOrNull(alert.acknowledgedAtMs),
    acknowledged_by: alert.acknowledgedBy,
    silenced_by:
      alert.state === 'resolved'
        ? []
        : silences.filter((s) => matchesAll(s.matchers, alert.labels)).map((s) => s.id),
    inhibited_by: inhibited.get(alert.id) ?? [],
    ...(comments ? { comments: comments.map(presentComment) } : {}),
  };
}

function presentSilence(silence: Silence, nowMs: number): z.infer<typeof SilenceSchema> {
  return {
    id: silence.id,
    matchers: silence.matchers,
    starts_at: iso(silence.startsAtMs),
    ends_at: iso(silence.endsAtMs),
    comment: silence.comment,
    created_by: silence.createdBy,
    created_at: iso(silence.createdAtMs),
    state: silence.endsAtMs <= nowMs ? 'expired' : silence.startsAtMs > nowMs ? 'pending' : 'active',
  };
}

/** Who did it: the name given, or the signed-in user or API key that did it. */
const actor = (request: FastifyRequest, given: string | undefined) => given ?? request.auth.actor;

function timestampMs(raw: string | number, field: string): number {
  if (typeof raw === 'number') return raw;
  const parsed = parseTimestamp(raw);
  if (!parsed.ok) throw new BadRequestError(`${field}: ${parsed.error}`, [{ field, message: parsed.error }]);
  return Math.floor(parsed.micros / 1000);
}

export function registerAlertRoutes(app: TypedApp, context: AppContext): void {
  const { store } = context;
  const now = () => context.alerts.now();

  async function suppression(projectId: number): Promise<Suppression> {
    const [silences, firing] = await Promise.all([
      store.alerts.listSilences(projectId, { activeAtMs: now() }),
      store.alerts.firingAlerts(),
    ]);
    return { silences, inhibited: inhibitions(firing.filter((a) => a.projectId === projectId)) };
  }

  /** A rule's channels must exist, so a typo is a 400 now rather than silence later. */
  async function checkChannels(projectId: number, body: AlertRuleBody): Promise<void> {
    const named = [
      ...body.channels.map((name, i) => ({ name, field: `body.channels.${i}` })),
      ...(body.retrain_channel ? [{ name: body.retrain_channel, field: 'body.retrain_channel' }] : []),
    ];
    const details: { field: string; message: string }[] = [];
    for (const { name, field } of named) {
      if (!(await store.channels.getByName(projectId, name))) {
        details.push({ field, message: `no channel named "${name}"; create it with POST /api/v1/channels` });
      }
    }
    if (details.length > 0)
      throw new BadRequestError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }

  async function loadRule(request: FastifyRequest, modelName: string, name: string) {
    const model = await loadModel(context, request, modelName);
    const rule = await store.alerts.getRule(model.id, name);
    if (!rule) throw new NotFoundError(`Model "${model.name}" has no alert rule "${name}".`);
    return { model, rule };
  }

  const taken = (error: unknown) => {
    if (error instanceof AlertRuleNameTakenError) throw new ConflictError(error.message);
    throw error;
  };

  app.post(
    '/api/v1/models/:model/alert-rules',
    {
      config: { scope: 'admin', audit: { entity: 'alert_rule', action: 'create' } },
      schema: {
        tags: ['alerts'],
        summary: "Create an alert rule (the model's default rules stop applying)",
        params: ModelParams,
        body: AlertRuleBody,
        response: { 201: AlertRule, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const model = await loadModel(context, request, request.params.model);
      const { name, ...spec } = request.body;
      await checkChannels(model.projectId, request.body);
      const rule = await store.alerts
        .createRule({ modelId: model.id, name, spec: spec as AlertRuleSpec, nowMs: now() })
        .catch(taken);
      void context.alerts.poke();
      reply.status(201);
      return presentRule(rule, model);
    },
  );

  app.get(
    '/api/v1/models/:model/alert-rules',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['alerts'],
        summary: "List a model's alert rules",
        params: ModelParams,
        response: { 200: AlertRuleList, ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const rules = await store.alerts.listRules(model.id);
      return { data: rules.map((r) => presentRule(r, model)), defaults_apply: rules.length === 0 };
    },
  );

  app.get(
    '/api/v1/models/:model/alert-rules/:rule',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'Get an alert rule',
        params: AlertRuleParams,
        response: { 200: AlertRule, ...errorResponses },
      },
    },
    async (request) => {
      const { model, rule } = await loadRule(request, request.params.model, request.params.rule);
      return presentRule(rule, model);
    },
  );

  app.put(
    '/api/v1/models/:model/alert-rules/:rule',
    {
      config: { scope: 'admin', audit: { entity: 'alert_rule', action: 'update' } },
      schema: {
        tags: ['alerts'],
        summary: 'Replace an alert rule (its open alerts are closed; it starts afresh)',
        params: AlertRuleParams,
        body: AlertRuleBody,
        response: { 200: AlertRule, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const { model, rule } = await loadRule(request, request.params.model, request.params.rule);
      const { name, ...spec } = request.body;
      await checkChannels(model.projectId, request.body);
      const updated = await store.alerts
        .updateRule(rule.id, { name, spec: spec as AlertRuleSpec }, now())
        .catch(taken);
      if (!updated)
        throw new NotFoundError(`Model "${model.name}" has no alert rule "${request.params.rule}".`);
      void context.alerts.poke();
      return presentRule(updated, model);
    },
  );

  app.delete(
    '/api/v1/models/:model/alert-rules/:rule',
    {
      config: { scope: 'admin', audit: { entity: 'alert_rule', action: 'delete' } },
      schema: {
        tags: ['alerts'],
        summary: 'Delete an alert rule (its firing alerts resolve)',
        params: AlertRuleParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { rule } = await loadRule(request, request.params.model, request.params.rule);
      await store.alerts.deleteRule(rule.id, now());
      void context.alerts.poke();
      reply.status(204);
      return null;
    },
  );

  // ------------------------------------------------------------------ alerts

  async function loadAlert(request: FastifyRequest, id: number): Promise<Alert> {
    const alert = await store.alerts.getAlert(id);
    if (!alert || alert.projectId !== request.auth.projectId)
      throw new NotFoundError(`No alert with id ${id}.`);
    return alert;
  }

  app.get(
    '/api/v1/alerts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'List alerts, newest first',
        querystring: AlertQuery,
        response: { 200: AlertList, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const model = q.model ? await loadModel(context, request, q.model) : undefined;
      const alerts = await store.alerts.listAlerts({
        projectId: request.auth.projectId,
        limit: q.limit,
        ...(model ? { modelId: model.id } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
      });
      const muted = await suppression(request.auth.projectId);
      return {
        data: alerts.map((a) => presentAlert(a, muted)),
        next_cursor: alerts.length === q.limit ? String(alerts.at(-1)!.id) : null,
      };
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'Get an alert with its comments',
        params: AlertParams,
        response: { 200: AlertSchema, ...errorResponses },
      },
    },
    async (request) => {
      const alert = await loadAlert(request, request.params.id);
      const muted = await suppression(request.auth.projectId);
      return presentAlert(alert, muted, await store.alerts.listComments(alert.id));
    },
  );

  app.post(
    '/api/v1/alerts/:id/ack',
    {
      config: { scope: 'write', audit: { entity: 'alert', action: 'acknowledge' } },
      schema: {
        tags: ['alerts'],
        summary:
          'Acknowledge an alert (no repeat notifications while every alert of its group is acknowledged)',
        params: AlertParams,
        body: AckBody,
        response: { 200: AlertSchema, ...errorResponses },
      },
    },
    async (request) => {
      await loadAlert(request, request.params.id);
      const acked = await store.alerts.acknowledge(
        request.params.id,
        actor(request, request.body?.by),
        now(),
      );
      const muted = await suppression(request.auth.projectId);
      return presentAlert(acked!, muted, await store.alerts.listComments(acked!.id));
    },
  );

  app.post(
    '/api/v1/alerts/:id/comments',
    {
      config: { scope: 'write', audit: { entity: 'alert', action: 'comment' } },
      schema: {
        tags: ['alerts'],
        summary: 'Comment on an alert',
        params: AlertParams,
        body: CommentBody,
        response: { 201: CommentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const alert = await loadAlert(request, request.params.id);
      const comment = await store.alerts.addComment({
        alertId: alert.id,
        author: actor(request, request.body.author),
        body: request.body.body,
        nowMs: now(),
      });
      reply.status(201);
      return presentComment(comment);
    },
  );

  // ------------------------------------------------------------------ silences

  async function loadSilence(request: FastifyRequest, id: number): Promise<Silence> {
    const silence = await store.alerts.getSilence(id);
    if (!silence || silence.projectId !== request.auth.projectId)
      throw new NotFoundError(`No silence with id ${id}.`);
    return silence;
  }

  app.post(
    '/api/v1/silences',
    {
      config: { scope: 'write', audit: { entity: 'silence', action: 'create' } },
      schema: {
        tags: ['alerts'],
        summary: 'Silence alerts matching label matchers for a while (they still change state)',
        body: SilenceBody,
        response: { 201: SilenceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const nowMs = now();
      const startsAtMs = body.starts_at === undefined ? nowMs : timestampMs(body.starts_at, 'body.starts_at');
      const endsAtMs =
        body.ends_at !== undefined
          ? timestampMs(body.ends_at, 'body.ends_at')
          : startsAtMs + (body.duration_seconds ?? 0) * 1000;
      if (endsAtMs <= startsAtMs) {
        throw new BadRequestError('body.ends_at: must be after starts_at', [
          { field: 'body.ends_at', message: 'must be after starts_at' },
        ]);
      }
      if (endsAtMs <= nowMs) {
        throw new BadRequestError('body.ends_at: must be in the future', [
          { field: 'body.ends_at', message: 'must be in the future' },
        ]);
      }
      const silence = await store.alerts.createSilence({
        projectId: request.auth.projectId,
        matchers: body.matchers,
        startsAtMs,
        endsAtMs,
        comment: body.comment,
        createdBy: actor(request, body.created_by),
        nowMs,
      });
      void context.alerts.poke();
      reply.status(201);
      return presentSilence(silence, nowMs);
    },
  );

  app.get(
    '/api/v1/silences',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'List silences, newest first',
        querystring: SilenceQuery,
        response: { 200: SilenceList, ...errorResponses },
      },
    },
    async (request) => {
      const nowMs = now();
      const all = (await store.alerts.listSilences(request.auth.projectId)).map((s) =>
        presentSilence(s, nowMs),
      );
      const state = request.query.state;
      return { data: state === 'all' ? all : all.filter((s) => s.state === state) };
    },
  );

  app.get(
    '/api/v1/silences/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'Get a silence',
        params: SilenceParams,
        response: { 200: SilenceSchema, ...errorResponses },
      },
    },
    async (request) => presentSilence(await loadSilence(request, request.params.id), now()),
  );

  app.delete(
    '/api/v1/silences/:id',
    {
      config: { scope: 'write', audit: { entity: 'silence', action: 'expire' } },
      schema: {
        tags: ['alerts'],
        summary: 'Expire a silence now (notifications of the alerts it muted resume)',
        params: SilenceParams,
        response: { 200: SilenceSchema, ...errorResponses },
      },
    },
    async (request) => {
      await loadSilence(request, request.params.id);
      const nowMs = now();
      const expired = await store.alerts.expireSilence(request.params.id, nowMs);
      void context.alerts.poke();
      return presentSilence(expired!, nowMs);
    },
  );
}
