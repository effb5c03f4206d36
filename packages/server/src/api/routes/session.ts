/**
 * Signing in and out of the dashboard: `POST /api/v1/session` checks a user name and
 * password and sets the `vigil_session` cookie; `GET` tells the web app who is signed in
 * (and the CSRF token it must send back); `DELETE` signs out.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { checkCsrf, sessionOf } from '../../auth/authenticate.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../../auth/cookies.js';
import { hashSessionToken, type SignedIn } from '../../auth/sessions.js';
import { UnauthorizedError } from '../../errors.js';
import { ErrorBody } from '../schemas/common.js';
import { SessionBody, SignInBody } from '../schemas/users.js';
import type { TypedApp } from '../typed-app.js';

function presentSession({ session, user }: SignedIn): z.infer<typeof SessionBody> {
  return {
    user: { id: user.id, username: user.username, role: user.role },
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAtMs).toISOString(),
  };
}

/** The cookie is `Secure` when the request came over https or the server's public URL is https. */
function secureCookie(context: AppContext, request: FastifyRequest): boolean {
  return request.protocol === 'https' || (context.config.externalUrl?.startsWith('https:') ?? false);
}

const NO_SESSION =
  'Not signed in (no session cookie, or the session has expired); sign in with POST /api/v1/session.';

export function registerSessionRoutes(app: TypedApp, context: AppContext): void {
  const cookieSecurity = [{ sessionCookie: [] }];

  app.post(
    '/api/v1/session',
    {
      config: { audit: { exempt: 'signing in opens a session; sessions are not audited entities' } },
      schema: {
        tags: ['session'],
        summary: 'Sign in with a user name and password; sets the session cookie',
        description:
          'Sets `vigil_session` (HttpOnly, SameSite=Strict, Path=/, Secure over https). Unknown names and wrong ' +
          'passwords get the same 401. After too many failures for one name or one client address within a minute ' +
          '(`VIGIL_LOGIN_FAILURES_PER_USER`, `VIGIL_LOGIN_FAILURES_PER_ADDRESS`), 429 with `Retry-After`.',
        security: [],
        body: SignInBody,
        response: { 200: SessionBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const signedIn = await context.sessions.signIn(
        request.body.username,
        request.body.password,
        request.ip,
      );
      // A browser that signs in again leaves no session behind that nobody can use.
      const previous = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (previous !== undefined) await context.sessions.signOut(hashSessionToken(previous));
      const maxAgeSeconds = (signedIn.session.maxExpiresAtMs - signedIn.session.createdAtMs) / 1000;
      reply.header(
        'set-cookie',
        sessionCookie(signedIn.token, { maxAgeSeconds, secure: secureCookie(context, request) }),
      );
      return presentSession(signedIn);
    },
  );

  app.get(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'The signed-in user and the CSRF token of the session',
        security: cookieSecurity,
        response: { 200: SessionBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const signedIn = await sessionOf(context, request);
      if (!signedIn) throw new UnauthorizedError(NO_SESSION);
      return presentSession(signedIn);
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { audit: { exempt: 'signing out ends a session; sessions are not audited entities' } },
      schema: {
        tags: ['session'],
        summary: 'Sign out: ends the session and clears the cookie',
        description:
          'Needs `X-CSRF-Token`. Without a live session there is nothing to end: the answer is 204 all the same.',
        // The cookie is optional here: signing out without a live session is a harmless no-op.
        security: [...cookieSecurity, {}],
        response: { 204: z.null(), 403: ErrorBody },
      },
    },
    async (request, reply: FastifyReply) => {
      const signedIn = await sessionOf(context, request);
      if (signedIn) {
        checkCsrf(request, signedIn);
        await context.sessions.signOut(signedIn.session.tokenHash);
      }
      reply.header('set-cookie', clearedSessionCookie(secureCookie(context, request)));
      reply.status(204);
      return null;
    },
  );
}
