/** Sign in with a user name and password (`POST /api/v1/session`), then back to where the user was going. */

import { useQueryClient } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ApiError, describeError, safeNextPath, sessionQueryKey, signIn } from '../../api';
import { Logo } from '../../components/Logo';
import { rootRoute } from '../../routes/root';

function signInMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'The user name or password is not right.';
  if (error instanceof ApiError && error.status === 429) {
    return `Too many attempts. ${error.message}`;
  }
  return describeError(error);
}

function SignInPage() {
  const { next } = signInRoute.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const session = await signIn(username, password);
      queryClient.setQueryData(sessionQueryKey, session);
      await navigate({ href: safeNextPath(next) });
    } catch (caught) {
      setError(signInMessage(caught));
      setPending(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <form className="sign-in-card" onSubmit={onSubmit} aria-labelledby="sign-in-title">
        <div className="brand brand-large" aria-hidden="true">
          <Logo size={28} />
          <span>Vigil</span>
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        <label className="field">
          <span>User name</span>
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          The first admin's password is set with <code>VIGIL_ADMIN_PASSWORD</code> or printed by the server on
          its first start.
        </p>
      </form>
    </main>
  );
}

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { next?: string } =>
    typeof search.next === 'string' ? { next: search.next } : {},
  component: SignInPage,
});
