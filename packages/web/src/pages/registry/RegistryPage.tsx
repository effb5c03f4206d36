import { createRoute } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

function RegistryPage() {
  return (
    <>
      <PageHeader title="Registry" />
      <EmptyState title="Nothing to show yet">
        <p>This page is being built.</p>
      </EmptyState>
    </>
  );
}

export const registryRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/registry',
  component: RegistryPage,
});
