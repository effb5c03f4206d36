/**
 * The two roots every page hangs from: the bare root (the sign-in page) and the signed-in
 * layout, which makes sure there is a session before any of its pages loads.
 */
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, Link, Outlet, redirect } from '@tanstack/react-router';
import { fetchSession, sessionQueryKey } from '../api';
import { Layout } from '../components/Layout';
import { EmptyState } from '../components/states';

export interface RouterContext {
  queryClient: QueryClient;
}

function NotFound() {
  return (
    <main id="main" className="page">
      <EmptyState title="Page not found">
        <p>There is nothing at this address.</p>
        <p>
          <Link to="/">Go to the overview</Link>
        </p>
      </EmptyState>
    </main>
  );
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

/** Pages for signed-in users; others are sent to sign in and brought back afterwards. */
export const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData({
      queryKey: sessionQueryKey,
      queryFn: fetchSession,
    });
    if (!session) {
      throw redirect({ to: '/sign-in', search: { next: location.href } });
    }
    return { user: session.user };
  },
  component: Layout,
});
