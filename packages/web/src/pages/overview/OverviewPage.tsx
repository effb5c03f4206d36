import { createRoute } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" />
      <EmptyState title="Nothing to show yet">
        <p>This page is being built.</p>
      </EmptyState>
    </>
  );
}

export const overviewRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  component: OverviewPage,
});
