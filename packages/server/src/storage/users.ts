/** Storage of users and their sign-in sessions (see `auth/`). */
import type { Session, User, UserRole } from '../domain/index.js';

export interface NewUser {
  projectId: number;
  username: string;
  /** An argon2id PHC string; the password itself never reaches the store. */
  passwordHash: string;
  role: UserRole;
  createdBy: string;
  nowMs: number;
}

export interface UserPatch {
  role?: UserRole;
  passwordHash?: string;
  disabled?: boolean;
}

/** The last enabled admin of a project cannot be deleted, demoted or disabled. */
export type UserChangeOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'not_found' | 'last_admin' };

export interface UserRepository {
  /** Throws `UsernameTakenError` when the name is taken (user names are unique across projects). */
  create(input: NewUser): Promise<User>;
  get(id: number): Promise<User | null>;
  /** The user and their password hash, for sign-in only. */
  findCredentials(username: string): Promise<{ user: User; passwordHash: string } | null>;
  list(projectId: number): Promise<User[]>;
  count(): Promise<number>;
  /**
   * Changes a user; refuses (`last_admin`) to leave the project without an enabled admin.
   * Check and change happen atomically, so two concurrent demotions cannot both pass.
   */
  update(projectId: number, id: number, patch: UserPatch, nowMs: number): Promise<UserChangeOutcome<User>>;
  /** Deletes a user and their sessions; refuses (`last_admin`) to delete the last enabled admin. */
  delete(projectId: number, id: number): Promise<UserChangeOutcome<null>>;
  recordSignIn(id: number, nowMs: number): Promise<void>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The session and its user, or null when there is no such session (expiry is the caller's check). */
  find(tokenHash: string): Promise<{ session: Session; user: User } | null>;
  /** Records use of a session and moves its idle expiry. */
  touch(tokenHash: string, lastSeenAtMs: number, expiresAtMs: number): Promise<void>;
  delete(tokenHash: string): Promise<boolean>;
  /** Ends every session of a user but `exceptTokenHash`; returns how many ended. */
  deleteForUser(userId: number, exceptTokenHash?: string): Promise<number>;
  /** Removes sessions past their expiry; returns how many. */
  deleteExpired(nowMs: number): Promise<number>;
}

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`A user named "${username}" already exists.`);
  }
}
