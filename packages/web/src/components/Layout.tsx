/** The signed-in frame: a skip link, the header with navigation and the user, and the page. */

import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { describeError, hasRole, sessionQueryKey, signOut, useCurrentUser } from '../api';
import { NAV_ITEMS } from '../navigation';
import { useTheme } from '../theme';
import { Logo } from './Logo';

export function Layout() {
  const user = useCurrentUser();
  const { theme, toggle } = useTheme();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [signOutError, setSignOutError] = useState<string | null>(null);

  async function onSignOut() {
    setSignOutError(null);
    try {
      await signOut();
    } catch (error) {
      setSignOutError(describeError(error));
      return;
    }
    queryClient.clear();
    queryClient.setQueryData(sessionQueryKey, null);
    await navigate({ to: '/sign-in', search: {} });
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label="Vigil home">
          <Logo size={20} />
          <span>Vigil</span>
        </Link>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {NAV_ITEMS.filter((item) => !item.role || hasRole(user, item.role)).map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  activeOptions={{ exact: item.to === '/' }}
                  activeProps={{ className: 'active', 'aria-current': 'page' }}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <button
            type="button"
            className="icon-button"
            onClick={toggle}
            aria-label={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
            title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          >
            <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
          </button>
          <span className="current-user" data-testid="current-user">
            <span className="username">{user.username}</span>
            <span className="role-tag">{user.role}</span>
          </span>
          <button type="button" className="button button-quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError && (
        <p className="banner banner-error" role="alert">
          Could not sign out: {signOutError}
        </p>
      )}
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
