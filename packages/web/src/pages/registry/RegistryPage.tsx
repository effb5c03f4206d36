/** Each model's versions with their metrics and stage, newest first (model management builds on this). */

import { useQueries, useQuery } from '@tanstack/react-query';
import { createRoute, Link } from '@tanstack/react-router';
import type { Model, ModelVersion } from '@vigil/sdk';
import { api } from '../../api';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { formatNumber, formatTime } from '../model/range';

function RegistryPage() {
  const models = useQuery({
    queryKey: ['models'],
    queryFn: async () => (await api.get<{ data: Model[] }>('/models')).data,
  });
  const versions = useQueries({
    queries: (models.data ?? []).map((m) => ({
      queryKey: ['versions', m.name],
      queryFn: async () =>
        (await api.get<{ data: ModelVersion[] }>(`/models/${encodeURIComponent(m.name)}/versions`)).data,
    })),
  });
  if (models.isPending) return <Loading />;
  if (models.isError) return <ErrorState error={models.error} />;
  return (
    <>
      <PageHeader
        title="Registry"
        description="Every model's registered versions, with their metrics and tags."
      />
      {models.data.length === 0 && (
        <EmptyState title="No models yet">
          <p>
            Register a model with <code>POST /api/v1/models</code> and its versions with{' '}
            <code>POST /api/v1/models/&lt;name&gt;/versions</code>, or start the demo from the{' '}
            <Link to="/">overview</Link>.
          </p>
        </EmptyState>
      )}
      {models.data.map((model, i) => {
        const list = [...(versions[i]?.data ?? [])].reverse();
        return (
          <section key={model.name} className="card" aria-labelledby={`reg-${model.name}`}>
            <h2 id={`reg-${model.name}`}>
              <Link to="/models/$model" params={{ model: model.name }}>
                {model.name}
              </Link>{' '}
              <span className="muted">{model.task.replaceAll('_', ' ')}</span>
            </h2>
            {versions[i]?.isPending && <Loading />}
            {list.length === 0 && versions[i]?.data && <p className="muted">No versions registered.</p>}
            {list.length > 0 && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Metrics</th>
                    <th scope="col">Registered</th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((v) => (
                    <tr key={v.name}>
                      <th scope="row">{v.name}</th>
                      <td>{v.tags.stage ?? v.tags.alias ?? '–'}</td>
                      <td>
                        {Object.entries(v.metrics)
                          .map(([k, n]) => `${k} ${formatNumber(n)}`)
                          .join(', ') || '–'}
                      </td>
                      <td>{formatTime(v.created_at)}</td>
                      <td>{v.description ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </>
  );
}

export const registryRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/registry',
  component: RegistryPage,
});
