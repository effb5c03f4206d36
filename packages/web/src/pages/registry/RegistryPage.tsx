/**
 * The registry of one model: which version each alias points to now (with one-click roll back,
 * confirmed), every version with its metrics and the run it came from (promote, through the
 * gate, confirmed in a dialog), the history of the aliases as a timeline, the champion against
 * the challenger on live traffic, and the audit trail. The model chosen is kept in the URL.
 */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, Link, useNavigate } from '@tanstack/react-router';
import type { Model, ModelVersion } from '@vigil/sdk';
import { useState } from 'react';
import { api, hasRole, useCurrentUser } from '../../api';
import { Card, QueryContent } from '../../components/Card';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type Column, DataTable } from '../../components/DataTable';
import { FormError, SelectField } from '../../components/form';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import { signedInRoute } from '../../routes/root';
import { formatNumber } from '../model/range';
import { AliasTimeline } from './AliasTimeline';
import { AuditCard } from './AuditCard';
import { ComparisonCard } from './ComparisonCard';
import { PromoteDialog } from './PromoteDialog';
import type { AliasHolding, RollbackAnswer } from './types';

function modelPath(model: string): string {
  return `/models/${encodeURIComponent(model)}`;
}

function RollbackButton({ model, holding }: { model: string; holding: AliasHolding }) {
  const queryClient = useQueryClient();
  const rollback = useMutation({
    mutationFn: () =>
      api.post<RollbackAnswer>(`${modelPath(model)}/aliases/${encodeURIComponent(holding.alias)}/rollback`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['registry', model] }),
  });
  return (
    <div className="row-actions">
      <ConfirmButton
        label={`Roll back ${holding.alias}`}
        confirmLabel="Roll back"
        question={`Return ${holding.alias} to the version before ${holding.version}?`}
        onConfirm={() => rollback.mutate()}
        disabled={rollback.isPending}
      />
      {rollback.isSuccess && (
        <span role="status" className="hint">
          {rollback.data.current.alias} is back on version {rollback.data.current.version}.
        </span>
      )}
      <FormError error={rollback.error} inline />
    </div>
  );
}

function AliasesCard({
  model,
  aliases,
  canEdit,
}: {
  model: string;
  aliases: AliasHolding[];
  canEdit: boolean;
}) {
  return (
    <Card title="Aliases now" hint="What serves where: each alias and the version it points to.">
      {aliases.length === 0 ? (
        <p className="muted">
          No aliases yet. {canEdit ? 'Promote a version below' : 'An editor can promote a version'} to make it
          champion, or set one with MLflow's set_registered_model_alias.
        </p>
      ) : (
        <div className="alias-cards">
          {aliases.map((holding) => (
            <div key={holding.alias} className="alias-card" data-testid={`alias-${holding.alias}`}>
              <span className="alias-name">{holding.alias}</span>
              <span className="alias-version">version {holding.version}</span>
              <span className="muted">
                since{' '}
                <time dateTime={holding.from} title={formatDateTime(holding.from)}>
                  {formatRelative(holding.from)}
                </time>
                , by {holding.set_by}
                {holding.reason === 'rollback' ? ' (roll back)' : ''}
              </span>
              {canEdit && <RollbackButton model={model} holding={holding} />}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

function versionColumns(
  metricKeys: string[],
  canEdit: boolean,
  onPromote: (version: ModelVersion) => void,
): Column<ModelVersion>[] {
  return [
    { header: 'Version', rowHeader: true, cell: (v) => v.name },
    {
      header: 'Aliases',
      cell: (v) =>
        v.aliases.length === 0 ? (
          <span className="muted">–</span>
        ) : (
          v.aliases.map((a) => (
            <span key={a} className="alias-tag">
              {a}
            </span>
          ))
        ),
    },
    ...metricKeys.map(
      (key): Column<ModelVersion> => ({
        header: key,
        numeric: true,
        cell: (v) => formatNumber(v.metrics[key], 4),
      }),
    ),
    {
      header: 'Source run',
      cell: (v) =>
        v.run_id ? (
          <Link to="/experiments" search={{ runs: v.run_id }}>
            <code>{v.run_id.slice(0, 8)}</code>
            <span className="visually-hidden"> (run of version {v.name})</span>
          </Link>
        ) : (
          <span className="muted">–</span>
        ),
    },
    {
      header: 'Monitoring',
      cell: (v) => (
        <Link to="/models/$model" params={{ model: v.model }} search={{ version: v.name }}>
          traffic<span className="visually-hidden"> of version {v.name}</span>
        </Link>
      ),
    },
    {
      header: 'Registered',
      cell: (v) => (
        <time dateTime={v.created_at} title={formatDateTime(v.created_at)}>
          {formatRelative(v.created_at)}
        </time>
      ),
    },
    { header: 'Description', cell: (v) => v.description ?? '' },
    ...(canEdit
      ? [
          {
            header: 'Actions',
            hiddenHeader: true,
            cell: (v: ModelVersion) => (
              <button
                type="button"
                className="button"
                onClick={() => onPromote(v)}
                aria-label={`Promote version ${v.name}`}
              >
                Promote…
              </button>
            ),
          },
        ]
      : []),
  ];
}

function ModelRegistry({ model, canEdit }: { model: Model; canEdit: boolean }) {
  const [promoting, setPromoting] = useState<ModelVersion | null>(null);
  const base = modelPath(model.name);
  const versions = useQuery({
    queryKey: ['registry', model.name, 'versions'],
    queryFn: async () =>
      (await api.get<{ data: ModelVersion[] }>(`${base}/versions`)).data.filter(
        (v) => v.tags['vigil.deleted'] !== 'true',
      ),
  });
  const aliases = useQuery({
    queryKey: ['registry', model.name, 'aliases'],
    queryFn: async () => (await api.get<{ data: AliasHolding[] }>(`${base}/aliases`)).data,
  });
  // One read for the whole timeline: aliases removed since still show what they pointed to.
  const history = useQuery({
    queryKey: ['registry', model.name, 'history'],
    queryFn: async () => (await api.get<{ data: AliasHolding[] }>(`${base}/alias-history`)).data,
  });
  const holdings = history.data ?? [];
  const current = aliases.data ?? [];
  const champion = current.find((a) => a.alias === 'champion');
  const challenger = current.find((a) => a.alias === 'challenger');

  return (
    <>
      {aliases.isPending ? (
        <Loading label="Loading aliases…" />
      ) : aliases.isError ? (
        <ErrorState
          error={aliases.error}
          title="Could not load the aliases"
          onRetry={() => aliases.refetch()}
        />
      ) : (
        <AliasesCard model={model.name} aliases={current} canEdit={canEdit} />
      )}
      <Card
        title="Versions"
        hint={
          canEdit
            ? 'Promote moves an alias to a version if it passes the gate: its metrics against the current holder.'
            : 'Editors and admins can promote versions and roll aliases back.'
        }
      >
        <QueryContent
          query={versions}
          what="versions"
          isEmpty={(list) => list.length === 0}
          empty={{
            title: 'No versions registered',
            body: (
              <p>
                Register one with MLflow's client (<code>registered_model_name="{model.name}"</code>) or{' '}
                <code>POST /api/v1/models/{model.name}/versions</code>.
              </p>
            ),
          }}
        >
          {(list) => {
            const metricKeys = [...new Set(list.flatMap((v) => Object.keys(v.metrics)))].sort().slice(0, 6);
            return (
              <DataTable
                caption={`Versions of ${model.name}, newest first`}
                columns={versionColumns(metricKeys, canEdit, setPromoting)}
                rows={[...list].reverse()}
                rowKey={(v) => v.name}
                rowTestId="version-row"
                testId="versions-table"
                scroll
              />
            );
          }}
        </QueryContent>
      </Card>
      <Card
        title="Alias history"
        hint="Which version held each alias, from when to when: what served on a given day."
      >
        {history.isPending ? (
          <Loading label="Loading the history…" />
        ) : history.isError ? (
          <ErrorState
            error={history.error}
            title="Could not load the history"
            onRetry={() => history.refetch()}
          />
        ) : holdings.length === 0 ? (
          <p className="muted">No alias has been set yet.</p>
        ) : (
          <AliasTimeline holdings={holdings} nowMs={Date.now()} />
        )}
      </Card>
      {champion && challenger && <ComparisonCard model={model.name} a="champion" b="challenger" />}
      <AuditCard model={model.name} />
      {promoting && (
        <PromoteDialog
          model={model.name}
          version={promoting}
          aliases={current}
          onClose={() => setPromoting(null)}
        />
      )}
    </>
  );
}

function RegistryPage() {
  const search = registryRoute.useSearch();
  const navigate = useNavigate({ from: '/registry' });
  const user = useCurrentUser();
  const models = useQuery({
    queryKey: ['models'],
    queryFn: async () => (await api.get<{ data: Model[] }>('/models')).data,
  });
  const header = (
    <PageHeader
      title="Registry"
      description="Each model's versions, what each alias points to and since when, promotion through the gate, and roll back."
    />
  );
  if (models.isPending) {
    return (
      <>
        {header}
        <Loading />
      </>
    );
  }
  if (models.isError) {
    return (
      <>
        {header}
        <ErrorState error={models.error} />
      </>
    );
  }
  if (models.data.length === 0) {
    return (
      <>
        {header}
        <EmptyState title="No models yet">
          <p>
            Log a model with MLflow's client and <code>registered_model_name</code>, register versions with{' '}
            <code>POST /api/v1/models/&lt;name&gt;/versions</code>, or start the demo from the{' '}
            <Link to="/">overview</Link>.
          </p>
        </EmptyState>
      </>
    );
  }
  const model = models.data.find((m) => m.name === search.model) ?? models.data[0]!;
  return (
    <>
      {header}
      <div className="filters">
        <SelectField
          label="Model"
          inline
          value={model.name}
          options={models.data.map((m) => ({ value: m.name, label: m.name }))}
          onChange={(name) => void navigate({ search: { model: name } })}
        />
        <Link to="/models/$model" params={{ model: model.name }}>
          Monitoring of {model.name}
        </Link>
      </div>
      <ModelRegistry key={model.name} model={model} canEdit={hasRole(user, 'editor')} />
    </>
  );
}

export interface RegistrySearch {
  model?: string;
}

export const registryRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/registry',
  // The router reads `?model=7` as a number; model names may be digits.
  validateSearch: (search: Record<string, unknown>): RegistrySearch =>
    (typeof search.model === 'string' && search.model) || typeof search.model === 'number'
      ? { model: String(search.model) }
      : {},
  component: RegistryPage,
});
