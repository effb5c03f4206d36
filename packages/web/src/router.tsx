/** The route tree. Each page declares its own route beside its component; this file only lists them. */
import './pages/data-pages.css';
import './pages/model-management.css';
import type { QueryClient } from '@tanstack/react-query';
import { createRouter } from '@tanstack/react-router';
import { adminRoute } from './pages/admin/AdminPage';
import { alertRoute } from './pages/alerts/AlertPage';
import { alertsRoute } from './pages/alerts/AlertsPage';
import { channelsRoute } from './pages/channels/ChannelsPage';
import { experimentsRoute } from './pages/experiments/ExperimentsPage';
import { featureRoute } from './pages/feature/FeaturePage';
import { modelRoute } from './pages/model/ModelPage';
import { monitorsRoute } from './pages/monitors/MonitorsPage';
import { overviewRoute } from './pages/overview/OverviewPage';
import { registryRoute } from './pages/registry/RegistryPage';
import { signInRoute } from './pages/sign-in/SignInPage';
import { rootRoute, signedInRoute } from './routes/root';

const routeTree = rootRoute.addChildren([
  signInRoute,
  signedInRoute.addChildren([
    overviewRoute,
    modelRoute,
    featureRoute,
    alertsRoute,
    alertRoute,
    monitorsRoute,
    channelsRoute,
    experimentsRoute,
    registryRoute,
    adminRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Loaders read through the query cache, which decides what is fresh.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
