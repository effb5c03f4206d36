import type { Session, User, UserRole } from '../../domain/index.js';
import {
  type NewUser,
  type SessionRepository,
  type UserChangeOutcome,
  UsernameTakenError,
  type UserPatch,
  type UserRepository,
} from '../users.js';
import { type DuckDbDatabase, type Row, toNullableNumber, toNumber } from './database.js';

const USER_FIELDS = [
  'id',
  'project_id',
  'username',
  'role',
  'disabled',
  'created_by',
  'created_ms',
  'updated_ms',
  'last_sign_in_ms',
];
/** The columns of `users u`, for SELECTs that join. */
const USER_COLUMNS = USER_FIELDS.map((field) => `u.${field}`).join(', ');
/** The same, for RETURNING. */
const RETURNED_USER = USER_FIELDS.join(', ');

function userFromRow(row: Row): User {
  const lastSignIn = toNullableNumber(row.last_sign_in_ms);
  return {
    id: toNumber(row.id),
    projectId: toNumber(row.project_id),
    username: row.username as string,
    role: row.role as UserRole,
    disabled: row.disabled as boolean,
    createdBy: row.created_by as string,
    createdAt: new Date(toNumber(row.created_ms)),
    updatedAt: new Date(toNumber(row.updated_ms)),
    lastSignInAt: lastSignIn === null ? null : new Date(lastSignIn),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /duplicate key|unique constraint/i.test(error.message);
}

export class DuckDbUsers implements UserRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async create(input: NewUser): Promise<User> {
    try {
      const [row] = await this.db.write(
        `INSERT INTO users (id, project_id, username, password_hash, role, disabled, created_by, created_ms, updated_ms, last_sign_in_ms)
         VALUES (nextval('seq_users'), $1, $2, $3, $4, false, $5, $6, $6, NULL) RETURNING ${RETURNED_USER}`,
        [input.projectId, input.username, input.passwordHash, input.role, input.createdBy, input.nowMs],
      );
      return userFromRow(row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new UsernameTakenError(input.username);
      throw error;
    }
  }

  async get(id: number): Promise<User | null> {
    const [row] = await this.db.read(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return row ? userFromRow(row) : null;
  }

  async findCredentials(username: string): Promise<{ user: User; passwordHash: string } | null> {
    const [row] = await this.db.read(
      `SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1`,
      [username],
    );
    return row ? { user: userFromRow(row), passwordHash: row.password_hash as string } : null;
  }

  async list(projectId: number): Promise<User[]> {
    const rows = await this.db.read(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.project_id = $1 ORDER BY u.id`,
      [projectId],
    );
    return rows.map(userFromRow);
  }

  async count(): Promise<number> {
    const [row] = await this.db.read('SELECT count(*) AS n FROM users');
    return toNumber(row!.n);
  }

  /** Whether another enabled admin than `id` exists in the project; inside the write transaction. */
  private async otherAdminExists(projectId: number, id: number): Promise<boolean> {
    const [row] = await this.db.rows(
      this.db.writer,
      "SELECT count(*) AS n FROM users WHERE project_id = $1 AND id <> $2 AND role = 'admin' AND NOT disabled",
      [projectId, id],
    );
    return toNumber(row!.n) > 0;
  }

  private async current(projectId: number, id: number): Promise<User | null> {
    const [row] = await this.db.rows(
      this.db.writer,
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.project_id = $1 AND u.id = $2`,
      [projectId, id],
    );
    return row ? userFromRow(row) : null;
  }

  update(projectId: number, id: number, patch: UserPatch, nowMs: number): Promise<UserChangeOutcome<User>> {
    return this.db.transaction(async () => {
      const user = await this.current(projectId, id);
      if (!user) return { ok: false, reason: 'not_found' } as const;
      const staysAdmin = (patch.role ?? user.role) === 'admin' && !(patch.disabled ?? user.disabled);
      const isEnabledAdmin = user.role === 'admin' && !user.disabled;
      if (isEnabledAdmin && !staysAdmin && !(await this.otherAdminExists(projectId, id))) {
        return { ok: false, reason: 'last_admin' } as const;
      }
      const [row] = await this.db.rows(
        this.db.writer,
        `UPDATE users SET role = coalesce(CAST($2 AS VARCHAR), role),
           password_hash = coalesce(CAST($3 AS VARCHAR), password_hash),
           disabled = coalesce(CAST($4 AS BOOLEAN), disabled), updated_ms = $5
         WHERE id = $1 RETURNING ${RETURNED_USER}`,
        [id, patch.role ?? null, patch.passwordHash ?? null, patch.disabled ?? null, nowMs],
      );
      return { ok: true, value: userFromRow(row!) } as const;
    });
  }

  delete(projectId: number, id: number): Promise<UserChangeOutcome<null>> {
    return this.db.transaction(async () => {
      const user = await this.current(projectId, id);
      if (!user) return { ok: false, reason: 'not_found' } as const;
      if (user.role === 'admin' && !user.disabled && !(await this.otherAdminExists(projectId, id))) {
        return { ok: false, reason: 'last_admin' } as const;
      }
      await this.db.writer.run('DELETE FROM sessions WHERE user_id = $1', [id]);
      await this.db.writer.run('DELETE FROM users WHERE id = $1', [id]);
      return { ok: true, value: null } as const;
    });
  }

  async recordSignIn(id: number, nowMs: number): Promise<void> {
    await this.db.write('UPDATE users SET last_sign_in_ms = $2 WHERE id = $1', [id, nowMs]);
  }
}

const SESSION_COLUMNS =
  's.token_hash, s.user_id, s.csrf_token, s.created_ms, s.last_seen_ms, s.expires_ms, s.max_expires_ms';

function sessionFromRow(row: Row): Session {
  return {
    tokenHash: row.token_hash as string,
    userId: toNumber(row.user_id),
    csrfToken: row.csrf_token as string,
    createdAtMs: toNumber(row.created_ms),
    lastSeenAtMs: toNumber(row.last_seen_ms),
    expiresAtMs: toNumber(row.expires_ms),
    maxExpiresAtMs: toNumber(row.max_expires_ms),
  };
}

export class DuckDbSessions implements SessionRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async create(session: Session): Promise<void> {
    await this.db.write(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, last_seen_ms, expires_ms, max_expires_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        session.tokenHash,
        session.userId,
        session.csrfToken,
        session.createdAtMs,
        session.lastSeenAtMs,
        session.expiresAtMs,
        session.maxExpiresAtMs,
      ],
    );
  }

  async find(tokenHash: string): Promise<{ session: Session; user: User } | null> {
    const [row] = await this.db.read(
      `SELECT ${SESSION_COLUMNS}, ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1`,
      [tokenHash],
    );
    return row ? { session: sessionFromRow(row), user: userFromRow(row) } : null;
  }

  async touch(tokenHash: string, lastSeenAtMs: number, expiresAtMs: number): Promise<void> {
    await this.db.write('UPDATE sessions SET last_seen_ms = $2, expires_ms = $3 WHERE token_hash = $1', [
      tokenHash,
      lastSeenAtMs,
      expiresAtMs,
    ]);
  }

  async delete(tokenHash: string): Promise<boolean> {
    const rows = await this.db.write('DELETE FROM sessions WHERE token_hash = $1 RETURNING token_hash', [
      tokenHash,
    ]);
    return rows.length > 0;
  }

  async deleteForUser(userId: number, exceptTokenHash?: string): Promise<number> {
    const rows = await this.db.write(
      'DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM CAST($2 AS VARCHAR) RETURNING token_hash',
      [userId, exceptTokenHash ?? null],
    );
    return rows.length;
  }

  async deleteExpired(nowMs: number): Promise<number> {
    const rows = await this.db.write('DELETE FROM sessions WHERE expires_ms <= $1 RETURNING token_hash', [
      nowMs,
    ]);
    return rows.length;
  }
}
