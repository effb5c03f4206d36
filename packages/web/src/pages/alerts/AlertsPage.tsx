import { createRoute } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

function AlertsPage() {
  return (
    <>
      <PageHeader title="Alerts" />
      <EmptyState title="Nothing to show yet">
        <p>This page is being built.</p>
      </EmptyState>
    </>
  );
}

export const alertsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/alerts',
  component: AlertsPage,
});
