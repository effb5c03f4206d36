/**
 * Roles map onto key scopes, so each route's `config.scope` stays the one statement of
 * what it needs: a viewer may do what a read key may, an editor also what a write key may
 * (acknowledge, silence, edit monitors, send data), an admin everything.
 */
import type { UserRole } from '../domain/index.js';
import type { ApiKeyScope } from '../storage/types.js';

const ROLE_SCOPES: Record<UserRole, readonly ApiKeyScope[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
};

/** The least role a route with this scope needs. */
export const ROLE_FOR_SCOPE: Record<ApiKeyScope, UserRole> = {
  read: 'viewer',
  write: 'editor',
  admin: 'admin',
};

/** The key scope a role corresponds to (viewer→read, editor→write, admin→admin). */
export const SCOPE_OF_ROLE: Record<UserRole, ApiKeyScope> = {
  viewer: 'read',
  editor: 'write',
  admin: 'admin',
};

export function roleAllows(role: UserRole, required: ApiKeyScope): boolean {
  return ROLE_SCOPES[role].includes(required);
}
