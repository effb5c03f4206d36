/**
 * The signed-in user: `GET/POST/DELETE /api/v1/session`. The session cookie is HttpOnly; the
 * page only keeps the CSRF token the server hands out with the session.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { ApiError } from './errors';

export type Role = 'admin' | 'editor' | 'viewer';

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  csrfToken?: string;
  expiresAt: string;
}

export const sessionQueryKey = ['session'] as const;

/** The current session, or null when nobody is signed in. */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/session', { allowUnauthenticated: true });
    if (session.csrfToken) api.setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  const session = await api.post<Session>('/session', { username, password }, { allowUnauthenticated: true });
  api.setCsrfToken(session.csrfToken ?? null);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await api.delete('/session', { allowUnauthenticated: true });
  } finally {
    api.setCsrfToken(null);
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: 60_000 });
}

/** The signed-in user; only for pages under the signed-in layout, which waits for it. */
export function useCurrentUser(): SessionUser {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser is used outside the signed-in layout.');
  return data.user;
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Whether the user may do what needs `role` (admins may do everything editors may). */
export function hasRole(user: SessionUser, role: Role): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK[role];
}
