/** The contract of users and sessions, run for every engine from `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../domain/index.js';
import { openMigratedStore } from './suite-support.js';
import type { Store } from './types.js';
import { UsernameTakenError } from './users.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const HOUR = 3_600_000;

export function describeUserStore(engine: string, openStore: () => Promise<Store>): void {
  describe(`Users and sessions contract: ${engine}`, () => {
    let store: Store;
    let projectId: number;

    beforeEach(async () => {
      ({ store, projectId } = await openMigratedStore(openStore));
    });
    afterEach(async () => {
      await store.close();
    });

    function user(username: string, role: 'admin' | 'editor' | 'viewer' = 'viewer') {
      return store.users.create({
        projectId,
        username,
        passwordHash: `$argon2id$hash-of-${username}`,
        role,
        createdBy: 'user:admin',
        nowMs: T0,
      });
    }

    function session(tokenHash: string, userId: number, nowMs = T0): Session {
      return {
        tokenHash,
        userId,
        csrfToken: `csrf-${tokenHash}`,
        createdAtMs: nowMs,
        lastSeenAtMs: nowMs,
        expiresAtMs: nowMs + 12 * HOUR,
        maxExpiresAtMs: nowMs + 7 * 24 * HOUR,
      };
    }

    it('creates, finds, lists and counts users; names are unique', async () => {
      expect(await store.users.count()).toBe(0);
      const ada = await user('ada', 'admin');
      expect(ada).toMatchObject({
        username: 'ada',
        role: 'admin',
        disabled: false,
        projectId,
        createdBy: 'user:admin',
        lastSignInAt: null,
      });
      expect(ada.createdAt.getTime()).toBe(T0);
      await expect(user('ada')).rejects.toBeInstanceOf(UsernameTakenError);
      await user('bob');
      expect((await store.users.list(projectId)).map((u) => u.username)).toEqual(['ada', 'bob']);
      expect(await store.users.count()).toBe(2);
      expect(await store.users.get(ada.id)).toEqual(ada);
      expect(await store.users.get(9999)).toBeNull();
      const credentials = await store.users.findCredentials('ada');
      expect(credentials).toEqual({ user: ada, passwordHash: '$argon2id$hash-of-ada' });
      expect(await store.users.findCredentials('nobody')).toBeNull();
      // Listings never carry the hash.
      expect(JSON.stringify(await store.users.list(projectId))).not.toContain('argon2');
      await store.users.recordSignIn(ada.id, T0 + 5);
      expect((await store.users.get(ada.id))!.lastSignInAt).toEqual(new Date(T0 + 5));
    });

    it('changes role, password and state, and never leaves a project without an enabled admin', async () => {
      const ada = await user('ada', 'admin');
      const bob = await user('bob', 'editor');
      expect(await store.users.update(projectId, ada.id, { role: 'viewer' }, T0 + 1)).toEqual({
        ok: false,
        reason: 'last_admin',
      });
      expect(await store.users.update(projectId, ada.id, { disabled: true }, T0 + 1)).toEqual({
        ok: false,
        reason: 'last_admin',
      });
      expect(await store.users.delete(projectId, ada.id)).toEqual({ ok: false, reason: 'last_admin' });
      expect(await store.users.update(projectId, 9999, { role: 'viewer' }, T0)).toEqual({
        ok: false,
        reason: 'not_found',
      });
      // A password change of the last admin is fine.
      const changed = await store.users.update(projectId, ada.id, { passwordHash: 'new-hash' }, T0 + 2);
      expect(changed.ok && changed.value.updatedAt.getTime()).toBe(T0 + 2);
      expect((await store.users.findCredentials('ada'))!.passwordHash).toBe('new-hash');

      const promoted = await store.users.update(projectId, bob.id, { role: 'admin' }, T0 + 3);
      expect(promoted).toMatchObject({ ok: true, value: { role: 'admin' } });
      const disabled = await store.users.update(projectId, ada.id, { disabled: true }, T0 + 4);
      expect(disabled).toMatchObject({ ok: true, value: { disabled: true, role: 'admin' } });
      // A disabled admin does not count: bob is now the last enabled one.
      expect(await store.users.delete(projectId, bob.id)).toEqual({ ok: false, reason: 'last_admin' });
      expect(await store.users.delete(projectId, ada.id)).toEqual({ ok: true, value: null });
      expect(await store.users.get(ada.id)).toBeNull();
      // Another project's users are out of reach.
      const other = (await store.ensureProject('other')).id;
      expect(await store.users.delete(other, bob.id)).toEqual({ ok: false, reason: 'not_found' });
    });

    it('stores sessions by digest, with their user, and ends them', async () => {
      const ada = await user('ada', 'admin');
      const bob = await user('bob');
      await store.sessions.create(session('h1', ada.id));
      await store.sessions.create(session('h2', ada.id));
      await store.sessions.create(session('h3', bob.id));
      const found = await store.sessions.find('h1');
      expect(found).toEqual({ session: session('h1', ada.id), user: ada });
      expect(await store.sessions.find('nope')).toBeNull();

      await store.sessions.touch('h1', T0 + HOUR, T0 + 13 * HOUR);
      expect((await store.sessions.find('h1'))!.session).toMatchObject({
        lastSeenAtMs: T0 + HOUR,
        expiresAtMs: T0 + 13 * HOUR,
      });

      // All of a user's sessions but one end, e.g. after a password change.
      expect(await store.sessions.deleteForUser(ada.id, 'h1')).toBe(1);
      expect(await store.sessions.find('h2')).toBeNull();
      expect(await store.sessions.find('h1')).not.toBeNull();
      expect(await store.sessions.delete('h1')).toBe(true);
      expect(await store.sessions.delete('h1')).toBe(false);

      // Deleting a user ends their sessions.
      await store.sessions.create(session('h4', bob.id));
      expect(await store.users.delete(projectId, bob.id)).toEqual({ ok: true, value: null });
      expect(await store.sessions.find('h3')).toBeNull();
      expect(await store.sessions.find('h4')).toBeNull();
    });

    it('sweeps expired sessions', async () => {
      const ada = await user('ada', 'admin');
      await store.sessions.create(session('old', ada.id, T0 - 13 * HOUR));
      await store.sessions.create(session('new', ada.id, T0));
      expect(await store.sessions.deleteExpired(T0)).toBe(1);
      expect(await store.sessions.find('old')).toBeNull();
      expect(await store.sessions.find('new')).not.toBeNull();
      expect(await store.sessions.deleteForUser(ada.id)).toBe(1);
    });
  });
}
