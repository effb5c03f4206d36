/**
 * People who sign in to Vigil (the dashboard), with a role each. Machines use API keys;
 * a role grants what the matching key scope grants (see `auth/roles.ts`).
 */

export const USER_ROLES = ['admin', 'editor', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What an API key may do: everything, send data, or read. */
export const API_KEY_SCOPES = ['admin', 'write', 'read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface User {
  id: number;
  projectId: number;
  /** Lower case: sign-in does not depend on the case a name is typed in. */
  username: string;
  role: UserRole;
  /** A disabled user cannot sign in, and their sessions stop working at once. */
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt: Date | null;
  /** Who created the user: `user:<name>`, `api-key:<id>`, or how the server did (`first-start`). */
  createdBy: string;
}

/** A signed-in browser: what a request with the session cookie is bound to. */
export interface Session {
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  tokenHash: string;
  userId: number;
  /** Sent back in `X-CSRF-Token` with every state-changing request made with the cookie. */
  csrfToken: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  /** Idle expiry: moves forward with use, never past `maxExpiresAtMs`. */
  expiresAtMs: number;
  /** Absolute expiry: a session ends this long after sign-in however much it is used. */
  maxExpiresAtMs: number;
}
