/**
 * A model's monitors and alert rules: list, enable or disable, edit the definition, create and
 * delete. Definitions are edited as JSON (the API's own shape, documented at /docs).
 */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, Link, useNavigate } from '@tanstack/react-router';
import type { AlertRule, Model, Monitor } from '@vigil/sdk';
import { useState } from 'react';
import { api, describeError, hasRole, useCurrentUser } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError, SelectField } from '../../components/form';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';

const TEMPLATE = {
  kind: 'feature_drift',
  window: { size: '1h' },
  baseline: { type: 'reference' },
};

function JsonEditor({
  label,
  initial,
  onSave,
  onCancel,
  saving,
  error,
  withName,
}: {
  label: string;
  initial: unknown;
  onSave: (value: unknown, name: string) => void;
  onCancel: () => void;
  saving: boolean;
  error: unknown;
  withName?: boolean;
}) {
  const [text, setText] = useState(JSON.stringify(initial, null, 2));
  const [name, setName] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <form
      className="stack editor"
      onSubmit={(e) => {
        e.preventDefault();
        try {
          const value = JSON.parse(text);
          setParseError(null);
          onSave(value, name);
        } catch (err) {
          setParseError(`Not valid JSON: ${(err as Error).message}`);
        }
      }}
    >
      {withName && (
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            pattern="[A-Za-z0-9][A-Za-z0-9._\-]*"
          />
        </label>
      )}
      <label className="field">
        <span>{label}</span>
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={10}
          spellCheck={false}
          className="code"
        />
      </label>
      <FormError error={parseError ?? error} />
      <div className="row">
        <button type="submit" className="button button-primary" disabled={saving}>
          Save
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function MonitorRow({ model, monitor, canEdit }: { model: string; monitor: Monitor; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const path = `/models/${encodeURIComponent(model)}/monitors/${encodeURIComponent(monitor.name)}`;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['monitors', model] });
  const patch = useMutation({
    mutationFn: (body: object) => api.patch<Monitor>(path, body),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => api.delete(path), onSuccess: refresh });
  const { kind: _kind, ...config } = monitor.config as { kind: string };
  const windowSpec = (monitor.config.window as { size?: string; last_n?: number } | undefined) ?? {};
  return (
    <>
      <tr>
        <th scope="row">{monitor.name}</th>
        <td>{monitor.kind.replaceAll('_', ' ')}</td>
        <td>{windowSpec.size ?? (windowSpec.last_n ? `last ${windowSpec.last_n}` : '–')}</td>
        <td>{monitor.enabled ? 'Enabled' : <span className="muted">Disabled</span>}</td>
        <td className="numeric">{monitor.pending_windows}</td>
        <td>{monitor.is_default ? 'default' : 'custom'}</td>
        <td className="row">
          {canEdit ? (
            <>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => patch.mutate({ enabled: !monitor.enabled })}
                aria-label={`${monitor.enabled ? 'Disable' : 'Enable'} monitor ${monitor.name}`}
              >
                {monitor.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => setEditing(!editing)}
                aria-label={`Edit monitor ${monitor.name}`}
              >
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                question={`Delete monitor ${monitor.name} and its results?`}
                onConfirm={() => remove.mutate()}
                disabled={remove.isPending}
              />
            </>
          ) : (
            <span className="muted">view only</span>
          )}
        </td>
      </tr>
      {(patch.isError || remove.isError) && !editing && (
        <tr>
          <td colSpan={7} className="form-error" role="alert">
            {describeError(patch.error ?? remove.error)}
          </td>
        </tr>
      )}
      {editing && (
        <tr>
          <td colSpan={7}>
            <JsonEditor
              label={`Definition of ${monitor.name} (its history is evaluated again on save)`}
              initial={{ kind: monitor.kind, ...config }}
              saving={patch.isPending}
              error={patch.error}
              onCancel={() => setEditing(false)}
              onSave={(value) => patch.mutate({ config: value })}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function RuleRow({ model, rule, canEdit }: { model: string; rule: AlertRule; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const path = `/models/${encodeURIComponent(model)}/alert-rules/${encodeURIComponent(rule.name)}`;
  const toggle = useMutation({
    mutationFn: () => api.put(path, { ...rule.spec, name: rule.name, enabled: !rule.spec.enabled }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['rules', model] }),
  });
  return (
    <tr>
      <th scope="row">{rule.name}</th>
      <td>{rule.spec.type}</td>
      <td>{rule.spec.severity}</td>
      <td>{rule.spec.match.map((m) => `${m.label}${m.op ?? '='}${m.value}`).join(', ') || 'every result'}</td>
      <td>{rule.spec.enabled ? 'Enabled' : <span className="muted">Disabled</span>}</td>
      <td>
        {canEdit && (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => toggle.mutate()}
            aria-label={`${rule.spec.enabled ? 'Disable' : 'Enable'} rule ${rule.name}`}
          >
            {rule.spec.enabled ? 'Disable' : 'Enable'}
          </button>
        )}
        <FormError error={toggle.error} inline />
      </td>
    </tr>
  );
}

function MonitorsPage() {
  const search = monitorsRoute.useSearch();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'editor');
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const models = useQuery({
    queryKey: ['models'],
    queryFn: async () => (await api.get<{ data: Model[] }>('/models')).data,
  });
  const model = search.model ?? models.data?.[0]?.name;
  const monitors = useQuery({
    enabled: model !== undefined,
    queryKey: ['monitors', model],
    queryFn: async () =>
      (await api.get<{ data: Monitor[] }>(`/models/${encodeURIComponent(model!)}/monitors`)).data,
    refetchInterval: 15_000,
  });
  const rules = useQuery({
    enabled: model !== undefined,
    queryKey: ['rules', model],
    queryFn: async () =>
      (await api.get<{ data: AlertRule[] }>(`/models/${encodeURIComponent(model!)}/alert-rules`)).data,
  });
  const create = useMutation({
    mutationFn: ({ name, config }: { name: string; config: unknown }) =>
      api.post<Monitor>(`/models/${encodeURIComponent(model!)}/monitors`, { name, config }),
    onSuccess: () => {
      setCreating(false);
      void queryClient.invalidateQueries({ queryKey: ['monitors', model] });
    },
  });

  if (models.isPending) return <Loading />;
  if (models.isError) return <ErrorState error={models.error} />;
  if (models.data.length === 0) {
    return (
      <>
        <PageHeader title="Monitors" />
        <EmptyState title="No models yet">
          <p>
            Monitors watch a model's traffic. Register a model and upload its reference data (or start the
            demo from the <Link to="/">overview</Link>); default monitors are created from the reference.
          </p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Monitors"
        description="What each model watches, over which windows, and the rules that turn results into alerts."
        actions={
          canEdit ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New monitor
            </button>
          ) : undefined
        }
      />
      <div className="filters">
        <SelectField
          label="Model"
          inline
          value={model ?? ''}
          options={models.data.map((m) => ({ value: m.name, label: m.name }))}
          onChange={(name) => void navigate({ to: '/monitors', search: { model: name } as never })}
        />
        {model && (
          <Link to="/models/$model" params={{ model }}>
            Open {model}
          </Link>
        )}
      </div>
      {creating && (
        <section className="card">
          <h2>New monitor of {model}</h2>
          <JsonEditor
            label="Definition (kinds: data_quality, feature_drift, prediction_drift, label_drift, performance, estimated_performance, fairness, traffic, custom_metric)"
            initial={TEMPLATE}
            withName
            saving={create.isPending}
            error={create.error}
            onCancel={() => setCreating(false)}
            onSave={(config, name) => create.mutate({ name, config })}
          />
        </section>
      )}
      <section className="card" aria-labelledby="monitors-h">
        <h2 id="monitors-h">Monitors</h2>
        {monitors.isPending && <Loading />}
        {monitors.isError && <ErrorState error={monitors.error} />}
        {monitors.data && monitors.data.length === 0 && (
          <p className="muted">No monitors yet: upload reference data to get the defaults, or create one.</p>
        )}
        {monitors.data && monitors.data.length > 0 && (
          <div className="table-scroll">
            <table className="table" data-testid="monitors-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Window</th>
                  <th scope="col">State</th>
                  <th scope="col" className="numeric">
                    Queued windows
                  </th>
                  <th scope="col">Origin</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {monitors.data.map((m) => (
                  <MonitorRow key={m.name} model={model!} monitor={m} canEdit={canEdit} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="rules-h">
        <h2 id="rules-h">Alert rules</h2>
        {rules.data && rules.data.length === 0 && (
          <p className="muted">
            No rules of its own: the defaults apply (a result in status alert fires a critical alert, warning
            a warning).
          </p>
        )}
        {rules.data && rules.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Severity</th>
                <th scope="col">Matches</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <RuleRow key={r.name} model={model!} rule={r} canEdit={canEdit} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export interface MonitorsSearch {
  model?: string;
}

export const monitorsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/monitors',
  validateSearch: (search: Record<string, unknown>): MonitorsSearch =>
    typeof search.model === 'string' && search.model ? { model: search.model } : {},
  component: MonitorsPage,
});
