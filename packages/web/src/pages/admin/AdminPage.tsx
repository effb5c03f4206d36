import { createRoute } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

function AdminPage() {
  return (
    <>
      <PageHeader title="Admin" />
      <EmptyState title="Nothing to show yet">
        <p>This page is being built.</p>
      </EmptyState>
    </>
  );
}

export const adminRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/admin',
  component: AdminPage,
});
