import { createRoute } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

function ChannelsPage() {
  return (
    <>
      <PageHeader title="Channels" />
      <EmptyState title="Nothing to show yet">
        <p>This page is being built.</p>
      </EmptyState>
    </>
  );
}

export const channelsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/channels',
  component: ChannelsPage,
});
