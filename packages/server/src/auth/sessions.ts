/**
 * Sign-in sessions of the dashboard. A session is a random 256-bit token in the
 * `vigil_session` cookie; the store keeps only its SHA-256 (like API keys), so a copy of
 * the database does not let anyone in.
 *
 * Expiry is sliding with a cap: a session unused for `idleTtlMs` (VIGIL_SESSION_TTL, 12 h)
 * ends, each use moves that point forward (written at most once a minute), and no session
 * outlives `maxAgeMs` (VIGIL_SESSION_MAX_AGE, 7 days) after sign-in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionConfig } from '../config.js';
import type { Session, User } from '../domain/index.js';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { Store } from '../storage/types.js';
import { LoginLimiter } from './login-limiter.js';
import { verifyPassword } from './passwords.js';

/** Uses of a session closer together than this do not move its expiry (saves a write per request). */
export const TOUCH_INTERVAL_MS = 60_000;
/**
 * How long a looked-up session is trusted before it is read again. Sign-out and user
 * changes on this server drop it at once; another server sharing the store notices
 * within this time.
 */
export const SESSION_CACHE_MS = 5_000;

export const BAD_CREDENTIALS = 'Wrong user name or password.';

export interface SignedIn {
  session: Session;
  user: User;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Sign-in names are compared without case and surrounding spaces. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SessionService {
  private readonly limiter: LoginLimiter;
  private readonly cache = new Map<string, { signedIn: SignedIn; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly config: SessionConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new LoginLimiter({
      perUser: config.maxFailuresPerUser,
      perAddress: config.maxFailuresPerAddress,
    });
  }

  /**
   * Checks a user name and password and opens a session. Unknown names and wrong
   * passwords get the same answer after the same work; too many failures get 429.
   */
  async signIn(username: string, password: string, address: string): Promise<SignedIn & { token: string }> {
    const name = normalizeUsername(username);
    const nowMs = this.now();
    const wait = this.limiter.retryAfterSeconds(name, address, nowMs);
    if (wait > 0) {
      throw new TooManyRequestsError(`Too many failed sign-ins; try again in ${wait} s.`, wait);
    }
    const credentials = await this.store.users.findCredentials(name);
    const valid = await verifyPassword(credentials?.passwordHash ?? null, password);
    if (!credentials || !valid) {
      this.limiter.recordFailure(name, address, nowMs);
      throw new UnauthorizedError(BAD_CREDENTIALS);
    }
    // Only someone who knows the password learns that the account is disabled.
    if (credentials.user.disabled) {
      throw new ForbiddenError(`The user "${name}" is disabled; an admin can enable it again.`);
    }
    this.limiter.recordSuccess(name);
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      tokenHash: hashSessionToken(token),
      userId: credentials.user.id,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAtMs: nowMs,
      lastSeenAtMs: nowMs,
      expiresAtMs: nowMs + this.config.idleTtlMs,
      maxExpiresAtMs: nowMs + this.config.maxAgeMs,
    };
    await this.store.sessions.create(session);
    await this.store.users.recordSignIn(credentials.user.id, nowMs);
    // Sessions nobody signed out of pile up otherwise; sign-ins are rare enough to sweep on.
    await this.store.sessions.deleteExpired(nowMs);
    return { token, session, user: { ...credentials.user, lastSignInAt: new Date(nowMs) } };
  }

  /**
   * Checks a signed-in user's current password before they change it, under the same rate
   * limit as sign-in (a stolen session must not become a password oracle).
   */
  async checkOwnPassword(userId: number, username: string, password: string, address: string): Promise<void> {
    const nowMs = this.now();
    const wait = this.limiter.retryAfterSeconds(username, address, nowMs);
    if (wait > 0) {
      throw new TooManyRequestsError(`Too many wrong passwords; try again in ${wait} s.`, wait);
    }
    const credentials = await this.store.users.findCredentials(username);
    const valid = await verifyPassword(credentials?.passwordHash ?? null, password);
    if (!credentials || credentials.user.id !== userId || !valid) {
      this.limiter.recordFailure(username, address, nowMs);
      throw new ForbiddenError('The current password is wrong.');
    }
  }

  /** The live session of a cookie token, with its user; null when expired, signed out or disabled. */
  async resolve(token: string): Promise<SignedIn | null> {
    const tokenHash = hashSessionToken(token);
    const nowMs = this.now();
    const cached = this.cache.get(tokenHash);
    let signedIn: SignedIn | null;
    if (cached && cached.until > Date.now()) {
      signedIn = cached.signedIn;
    } else {
      signedIn = await this.store.sessions.find(tokenHash);
      if (this.cache.size > 10_000) this.cache.clear();
      if (signedIn) this.cache.set(tokenHash, { signedIn, until: Date.now() + SESSION_CACHE_MS });
      else this.cache.delete(tokenHash);
    }
    if (!signedIn || signedIn.user.disabled) return null;
    const { session } = signedIn;
    if (session.expiresAtMs <= nowMs) {
      this.cache.delete(tokenHash);
      await this.store.sessions.delete(tokenHash).catch(() => false);
      return null;
    }
    if (nowMs - session.lastSeenAtMs >= TOUCH_INTERVAL_MS) {
      session.lastSeenAtMs = nowMs;
      session.expiresAtMs = Math.min(nowMs + this.config.idleTtlMs, session.maxExpiresAtMs);
      // A store that cannot write now must not turn a read into an error.
      await this.store.sessions
        .touch(tokenHash, session.lastSeenAtMs, session.expiresAtMs)
        .catch(() => undefined);
    }
    return signedIn;
  }

  async signOut(tokenHash: string): Promise<void> {
    this.cache.delete(tokenHash);
    await this.store.sessions.delete(tokenHash);
  }

  /** Drops cached sessions of a user whose role, password or state changed, or who was deleted. */
  forgetUser(userId: number): void {
    for (const [tokenHash, entry] of this.cache) {
      if (entry.signedIn.user.id === userId) this.cache.delete(tokenHash);
    }
  }

  /** Ends a user's sessions (all but `exceptTokenHash`), e.g. after a password change. */
  async endSessionsOf(userId: number, exceptTokenHash?: string): Promise<void> {
    this.forgetUser(userId);
    await this.store.sessions.deleteForUser(userId, exceptTokenHash);
  }
}
