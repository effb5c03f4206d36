/** API keys: create with a scope (the secret is shown once), revoke, see when each was last used. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, describeError } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import type { ApiKey, CreatedApiKey, KeyScope } from './types';

const SCOPES: { value: KeyScope; label: string }[] = [
  { value: 'write', label: 'write (send predictions, labels and reference data)' },
  { value: 'read', label: 'read (read everything, change nothing)' },
  { value: 'admin', label: 'admin (everything)' },
];

const keysKey = ['keys'] as const;

function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="new-key" role="status">
      <p>
        <strong>Key “{created.name}” created.</strong> Copy it now: it is shown only once.
      </p>
      <div className="new-key-value">
        <code data-testid="new-key">{created.key}</code>
        <button
          type="button"
          className="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(created.key);
              setCopied(true);
            } catch {
              // Clipboard refused (insecure origin): the key stays selectable.
            }
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function CreateKeyForm() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<KeyScope>('write');
  const create = useMutation({
    mutationFn: () => api.post<CreatedApiKey>('/keys', { name, scope }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: keysKey });
    },
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <>
      <form className="inline-form" onSubmit={onSubmit} aria-label="Create an API key">
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
            placeholder="e.g. fraud-service"
          />
        </label>
        <label className="field">
          <span>Scope</span>
          <select value={scope} onChange={(e) => setScope(e.target.value as KeyScope)}>
            {SCOPES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {create.isError && (
        <p className="form-error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      {create.isSuccess && <NewKey created={create.data} onDone={() => create.reset()} />}
    </>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.delete(`/keys/${apiKey.id}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keysKey }),
  });
  const revoked = apiKey.revoked_at !== null;
  return (
    <tr data-testid="key-row" className={revoked ? 'row-off' : undefined}>
      <td>
        <strong>{apiKey.name}</strong>
        <div className="muted">
          <code>{apiKey.prefix}…</code>
        </div>
      </td>
      <td>{apiKey.scope}</td>
      <td>
        <time dateTime={apiKey.created_at} title={formatDateTime(apiKey.created_at)}>
          {formatRelative(apiKey.created_at)}
        </time>
        {apiKey.created_by && <div className="muted">{apiKey.created_by}</div>}
      </td>
      <td>
        {apiKey.last_used_at === undefined ? (
          <span className="muted">—</span>
        ) : (
          <time dateTime={apiKey.last_used_at ?? undefined} title={formatDateTime(apiKey.last_used_at)}>
            {formatRelative(apiKey.last_used_at)}
          </time>
        )}
      </td>
      <td>
        <div className="row-actions">
          {revoked ? (
            <span className="tag tag-off" title={formatDateTime(apiKey.revoked_at)}>
              Revoked {formatRelative(apiKey.revoked_at)}
            </span>
          ) : (
            <ConfirmButton
              label="Revoke"
              question={`Revoke ${apiKey.name}? Clients using it stop at once.`}
              onConfirm={() => revoke.mutate()}
              disabled={revoke.isPending}
            />
          )}
          {revoke.isError && (
            <span className="form-error" role="alert">
              {describeError(revoke.error)}
            </span>
          )}
        </div>
      </td>
    </tr>
  );
}

export function KeysSection() {
  const keys = useQuery({ queryKey: keysKey, queryFn: () => api.get<{ data: ApiKey[] }>('/keys') });
  return (
    <section className="card admin-section" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="hint">
        Services and scripts authenticate with a key: give each its own, with the least scope it needs.
      </p>
      <CreateKeyForm />
      {keys.isPending ? (
        <Loading label="Loading keys…" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} title="Could not load API keys" onRetry={() => keys.refetch()} />
      ) : keys.data.data.length === 0 ? (
        <EmptyState title="No API keys" />
      ) : (
        <table className="table">
          <caption className="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Scope</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...keys.data.data]
              .sort((a, b) => Number(a.revoked_at !== null) - Number(b.revoked_at !== null) || b.id - a.id)
              .map((apiKey) => (
                <KeyRow key={apiKey.id} apiKey={apiKey} />
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
