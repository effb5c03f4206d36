/** Users and their roles (admin only). Passwords go in, never out. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { hashPassword } from '../../auth/passwords.js';
import { normalizeUsername } from '../../auth/sessions.js';
import type { User } from '../../domain/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { UsernameTakenError } from '../../storage/users.js';
import { ErrorBody } from '../schemas/common.js';
import {
  ChangeOwnPasswordBody,
  CreateUserBody,
  UpdateUserBody,
  User as UserBody,
  UserList,
  UserParams,
} from '../schemas/users.js';
import type { TypedApp } from '../typed-app.js';

export function presentUser(user: User): z.infer<typeof UserBody> {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    disabled: user.disabled,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
    last_sign_in_at: user.lastSignInAt ? user.lastSignInAt.toISOString() : null,
    created_by: user.createdBy,
  };
}

/** A user of the caller's project by numeric id or by name. */
async function loadUser(context: AppContext, request: FastifyRequest, reference: string): Promise<User> {
  const user = /^\d+$/.test(reference)
    ? Number(reference) <= 2_147_483_647
      ? await context.store.users.get(Number(reference))
      : null
    : (await context.store.users.findCredentials(normalizeUsername(reference)))?.user;
  if (!user || user.projectId !== request.auth.projectId) throw new NotFoundError(`No user "${reference}".`);
  return user;
}

const LAST_ADMIN =
  'is the last enabled admin; make another user an admin first (PATCH /api/v1/users/{id} with role "admin").';

export function registerUserRoutes(app: TypedApp, context: AppContext): void {
  const { store } = context;

  app.get(
    '/api/v1/users',
    {
      config: { scope: 'admin' },
      schema: { tags: ['users'], summary: 'List users', response: { 200: UserList } },
    },
    async (request) => ({ data: (await store.users.list(request.auth.projectId)).map(presentUser) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { scope: 'admin', audit: { entity: 'user', action: 'create' } },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: UserBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const username = normalizeUsername(request.body.username);
      try {
        const user = await store.users.create({
          projectId: request.auth.projectId,
          username,
          passwordHash: await hashPassword(request.body.password),
          role: request.body.role,
          createdBy: request.auth.actor,
          nowMs: context.now(),
        });
        reply.status(201);
        return presentUser(user);
      } catch (error) {
        if (error instanceof UsernameTakenError) throw new ConflictError(error.message);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: { scope: 'admin' },
      schema: { tags: ['users'], summary: 'Get a user', params: UserParams, response: { 200: UserBody } },
    },
    async (request) => presentUser(await loadUser(context, request, request.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { scope: 'admin', audit: { entity: 'user', action: 'update' } },
      schema: {
        tags: ['users'],
        summary: 'Change a user’s role or password, or disable / enable them',
        description:
          'A new password ends the user’s other sessions; disabling ends all of them. The last enabled admin ' +
          'cannot be demoted or disabled (409).',
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: UserBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const user = await loadUser(context, request, request.params.id);
      const { role, password, disabled } = request.body;
      const outcome = await store.users.update(
        request.auth.projectId,
        user.id,
        {
          ...(role !== undefined ? { role } : {}),
          ...(disabled !== undefined ? { disabled } : {}),
          ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
        },
        context.now(),
      );
      if (!outcome.ok) {
        if (outcome.reason === 'not_found') throw new NotFoundError(`No user "${request.params.id}".`);
        throw new ConflictError(`User "${user.username}" ${LAST_ADMIN}`);
      }
      if (disabled === true) await context.sessions.endSessionsOf(user.id);
      else if (password !== undefined) {
        // The admin who changes their own password stays signed in here.
        const own = request.auth.user?.id === user.id ? request.auth.sessionTokenHash : null;
        await context.sessions.endSessionsOf(user.id, own ?? undefined);
      } else context.sessions.forgetUser(user.id);
      return presentUser(outcome.value);
    },
  );

  app.post(
    '/api/v1/session/password',
    {
      config: { scope: 'read', audit: { entity: 'user', action: 'change_password' } },
      schema: {
        tags: ['session'],
        summary: 'Change the signed-in user’s own password',
        description:
          'Any role, with the session cookie (and `X-CSRF-Token`). The current password is checked under the ' +
          'sign-in rate limit; the user’s other sessions end, this one stays.',
        body: ChangeOwnPasswordBody,
        response: { 204: z.null(), 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const signedIn = request.auth.user;
      if (!signedIn) {
        throw new ForbiddenError(
          'An API key has no password: sign in to change your own, or use PATCH /api/v1/users/{id} as an admin.',
        );
      }
      await context.sessions.checkOwnPassword(
        signedIn.id,
        signedIn.username,
        request.body.current_password,
        request.ip,
      );
      const outcome = await store.users.update(
        request.auth.projectId,
        signedIn.id,
        { passwordHash: await hashPassword(request.body.new_password) },
        context.now(),
      );
      if (!outcome.ok) throw new NotFoundError(`No user "${signedIn.username}".`);
      await context.sessions.endSessionsOf(signedIn.id, request.auth.sessionTokenHash ?? undefined);
      reply.status(204);
      return null;
    },
  );

  app.delete(
    '/api/v1/users/:id',
    {
      config: { scope: 'admin', audit: { entity: 'user', action: 'delete' } },
      schema: {
        tags: ['users'],
        summary: 'Delete a user and end their sessions',
        params: UserParams,
        response: { 204: z.null(), 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = await loadUser(context, request, request.params.id);
      const outcome = await store.users.delete(request.auth.projectId, user.id);
      if (!outcome.ok) {
        if (outcome.reason === 'not_found') throw new NotFoundError(`No user "${request.params.id}".`);
        throw new ConflictError(`User "${user.username}" ${LAST_ADMIN}`);
      }
      context.sessions.forgetUser(user.id);
      reply.status(204);
      return null;
    },
  );
}
