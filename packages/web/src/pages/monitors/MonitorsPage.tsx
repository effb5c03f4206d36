import { createRoute } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

function MonitorsPage() {
  return (
    <>
      <PageHeader title="Monitors" />
      <EmptyState title="Nothing to show yet">
        <p>This page is being built.</p>
      </EmptyState>
    </>
  );
}

export const monitorsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/monitors',
  component: MonitorsPage,
});
