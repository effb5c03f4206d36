/** Admin: users and API keys. Only admins see it in the navigation; the server refuses others anyway. */
import { createRoute } from '@tanstack/react-router';
import { hasRole, useCurrentUser } from '../../api';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { KeysSection } from './KeysSection';
import { UsersSection } from './UsersSection';

function AdminPage() {
  const user = useCurrentUser();
  if (!hasRole(user, 'admin')) {
    return (
      <>
        <PageHeader title="Admin" />
        <EmptyState title="Admins only">
          <p>Users and API keys are managed by admins. Ask one if you need access.</p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Admin" description="Who may sign in, and which services may send or read data." />
      <div className="admin-grid">
        <UsersSection />
        <KeysSection />
      </div>
    </>
  );
}

export const adminRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/admin',
  component: AdminPage,
});
