import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import type { Channel, Delivery } from '../../domain/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors.js';
import { hasSigningSecret, newWebhookSecret, redactedConfig } from '../../notify/index.js';
import { ChannelNameTakenError } from '../../storage/channels.js';
import {
  CHANNEL_CONFIGS,
  Channel as ChannelBody,
  ChannelList,
  ChannelParams,
  CreateChannelBody,
  DeliveryList,
  DeliveryQuery,
  TestResult,
  UpdateChannelBody,
} from '../schemas/channels.js';
import { errorResponses } from '../schemas/common.js';
import type { TypedApp } from '../typed-app.js';

function presentChannel(channel: Channel, secret?: string): z.infer<typeof ChannelBody> {
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    config: redactedConfig(channel),
    enabled: channel.enabled,
    created_at: channel.createdAt.toISOString(),
    updated_at: channel.updatedAt.toISOString(),
    ...(secret !== undefined ? { secret } : {}),
  };
}

function presentDelivery(delivery: Delivery, channelName: string | null) {
  return {
    id: delivery.id,
    delivery_id: delivery.uid,
    channel_id: delivery.channelId,
    channel: channelName,
    dedup_key: delivery.dedupKey,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
    delivered_at: delivery.deliveredAt ? delivery.deliveredAt.toISOString() : null,
  };
}

/** Finds a channel of the caller's project by numeric id or by name. */
async function loadChannel(context: AppContext, projectId: number, reference: string): Promise<Channel> {
  const channel = /^\d+$/.test(reference)
    ? await context.store.channels.get(Number(reference))
    : await context.store.channels.getByName(projectId, reference);
  if (!channel || channel.projectId !== projectId) {
    throw new NotFoundError(`No channel "${reference}" in this project.`);
  }
  return channel;
}

/** Checks a channel configuration against its type's schema, naming the field at fault. */
function checkConfig(type: Channel['type'], config: Record<string, unknown>): Record<string, unknown> {
  const parsed = CHANNEL_CONFIGS[type].safeParse(config);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const details = parsed.error.issues.map((issue) => ({
    field: ['body', 'config', ...issue.path].join('.'),
    message: issue.message,
  }));
  throw new BadRequestError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

/** The server's own base URL as the caller reached it, for links in test notifications. */
function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function registerChannelRoutes(app: TypedApp, context: AppContext): void {
  const { store } = context;

  app.post(
    '/api/v1/channels',
    {
      config: { scope: 'admin', audit: { entity: 'channel', action: 'create' } },
      schema: {
        tags: ['channels'],
        summary: 'Create a notification channel (a webhook channel answers its signing secret, once)',
        body: CreateChannelBody,
        response: { 201: ChannelBody, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const config: Record<string, unknown> = { ...body.config };
      let secret: string | undefined;
      if (hasSigningSecret(body)) {
        secret = (config.secret as string | undefined) ?? newWebhookSecret();
        config.secret = secret;
      }
      try {
        const channel = await store.channels.create({
          projectId: request.auth.projectId,
          name: body.name,
          type: body.type,
          config,
          enabled: body.enabled,
        });
        reply.status(201);
        return presentChannel(channel, secret);
      } catch (error) {
        if (error instanceof ChannelNameTakenError) throw new ConflictError(error.message);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/channels',
    {
      config: { scope: 'read' },
      schema: { tags: ['channels'], summary: 'List notification channels', response: { 200: ChannelList } },
    },
    async (request) => ({
      data: (await store.channels.list(request.auth.projectId)).map((c) => presentChannel(c)),
    }),
  );

  app.get(
    '/api/v1/channels/:channel',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['channels'],
        summary: 'Get a notification channel',
        params: ChannelParams,
        response: { 200: ChannelBody, ...errorResponses },
      },
    },
    async (request) =>
      presentChannel(await loadChannel(context, request.auth.projectId, request.params.channel)),
  );

  app.patch(
    '/api/v1/channels/:channel',
    {
      config: { scope: 'admin', audit: { entity: 'channel', action: 'update' } },
      schema: {
        tags: ['channels'],
        summary: 'Change a channel: rename, enable or disable, change settings, rotate a webhook secret',
        params: ChannelParams,
        body: UpdateChannelBody,
        response: { 200: ChannelBody, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const channel = await loadChannel(context, request.auth.projectId, request.params.channel);
      const body = request.body;
      let config: Record<string, unknown> | undefined;
      let secret: string | undefined;
      if (body.config !== undefined) {
        const merged: Record<string, unknown> = { ...channel.config };
        for (const [name, value] of Object.entries(body.config)) {
          if (value === null) delete merged[name];
          else merged[name] = value;
        }
        config = checkConfig(channel.type, merged);
      }
      if (body.rotate_secret) {
        if (!hasSigningSecret(channel)) {
          throw new BadRequestError(`body.rotate_secret: a ${channel.type} channel has no signing secret.`, [
            { field: 'body.rotate_secret', message: `a ${channel.type} channel has no signing secret` },
          ]);
        }
        secret = newWebhookSecret();
        config = { ...(config ?? channel.config), secret };
      } else if (config && hasSigningSecret(channel) && typeof config.secret !== 'string') {
        config.secret = channel.config.secret; // removing the secret is not a thing: keep it
      }
      let updated: Channel | null;
      try {
        updated = await store.channels.update(channel.id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
          ...(config ? { config } : {}),
        });
      } catch (error) {
        if (error instanceof ChannelNameTakenError) throw new ConflictError(error.message);
        throw error;
      }
      if (!updated) throw new NotFoundError(`No channel "${request.params.channel}" in this project.`);
      if (body.enabled === false && channel.enabled) {
        await store.outbox.abandonChannel(channel.id, Date.now(), 'channel disabled');
      }
      return presentChannel(updated, secret);
    },
  );

  app.delete(
    '/api/v1/channels/:channel',
    {
      config: { scope: 'admin', audit: { entity: 'channel', action: 'delete' } },
      schema: {
        tags: ['channels'],
        summary: 'Delete a channel; its undelivered notifications are given up',
        params: ChannelParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const channel = await loadChannel(context, request.auth.projectId, request.params.channel);
      await store.outbox.abandonChannel(channel.id, Date.now(), 'channel deleted');
      await store.channels.delete(channel.id);
      reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/v1/channels/:channel/test',
    {
      config: { scope: 'admin', audit: { exempt: 'sends a test message; changes nothing' } },
      schema: {
        tags: ['channels'],
        summary: 'Send a test notification now (no retries) and answer how it went',
        params: ChannelParams,
        response: { 200: TestResult, ...errorResponses },
      },
    },
    async (request) => {
      const channel = await loadChannel(context, request.auth.projectId, request.params.channel);
      const delivery = await context.notifications.sendTest(channel.id, origin(request));
      return { ...presentDelivery(delivery, channel.name), ok: delivery.status === 'delivered' };
    },
  );

  app.get(
    '/api/v1/deliveries',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['channels'],
        summary: 'List notification deliveries, newest first: status, attempts, last error',
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const projectId = request.auth.projectId;
      let beforeId: number | undefined;
      if (q.cursor !== undefined) {
        beforeId = Number(q.cursor);
        if (!/^\d+$/.test(q.cursor) || !Number.isSafeInteger(beforeId)) {
          throw new BadRequestError(
            'Query parameter "cursor" is not a cursor this server issued; use next_cursor as given.',
          );
        }
      }
      const channel = q.channel !== undefined ? await loadChannel(context, projectId, q.channel) : undefined;
      const deliveries = await store.outbox.list({
        projectId,
        limit: q.limit,
        ...(channel ? { channelId: channel.id } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(beforeId !== undefined ? { beforeId } : {}),
      });
      const names = new Map((await store.channels.list(projectId)).map((c) => [c.id, c.name]));
      const last = deliveries.at(-1);
      return {
        data: deliveries.map((d) => presentDelivery(d, names.get(d.channelId) ?? null)),
        next_cursor: deliveries.length === q.limit && last ? String(last.id) : null,
      };
    },
  );
}
