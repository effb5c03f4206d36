/** API keys: create with a scope (the secret is shown once), revoke, see when each was last used. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { Card, QueryContent } from '../../components/Card';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type Column, DataTable } from '../../components/DataTable';
import { FormError, SelectField, TextField } from '../../components/form';
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
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          required
          maxLength={200}
          placeholder="e.g. fraud-service"
        />
        <SelectField label="Scope" value={scope} options={SCOPES} onChange={setScope} />
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create key
        </button>
      </form>
      <FormError error={create.error} />
      {create.isSuccess && <NewKey created={create.data} onDone={() => create.reset()} />}
    </>
  );
}

function KeyActions({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.delete(`/keys/${apiKey.id}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keysKey }),
  });
  return (
    <div className="row-actions">
      {apiKey.revoked_at !== null ? (
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
      <FormError error={revoke.error} inline />
    </div>
  );
}

const COLUMNS: Column<ApiKey>[] = [
  {
    header: 'Key',
    cell: (k) => (
      <>
        <strong>{k.name}</strong>
        <div className="muted">
          <code>{k.prefix}…</code>
        </div>
      </>
    ),
  },
  { header: 'Scope', cell: (k) => k.scope },
  {
    header: 'Created',
    cell: (k) => (
      <>
        <time dateTime={k.created_at} title={formatDateTime(k.created_at)}>
          {formatRelative(k.created_at)}
        </time>
        {k.created_by && <div className="muted">{k.created_by}</div>}
      </>
    ),
  },
  {
    header: 'Last used',
    cell: (k) =>
      k.last_used_at === undefined ? (
        <span className="muted">—</span>
      ) : (
        <time dateTime={k.last_used_at ?? undefined} title={formatDateTime(k.last_used_at)}>
          {formatRelative(k.last_used_at)}
        </time>
      ),
  },
  { header: 'Actions', hiddenHeader: true, cell: (k) => <KeyActions apiKey={k} /> },
];

export function KeysSection() {
  const keys = useQuery({ queryKey: keysKey, queryFn: () => api.get<{ data: ApiKey[] }>('/keys') });
  return (
    <Card
      title="API keys"
      className="admin-section"
      hint="Services and scripts authenticate with a key: give each its own, with the least scope it needs."
    >
      <CreateKeyForm />
      <QueryContent
        query={keys}
        what="API keys"
        isEmpty={(d) => d.data.length === 0}
        empty={{ title: 'No API keys' }}
      >
        {(data) => (
          <DataTable
            caption="API keys"
            columns={COLUMNS}
            rows={[...data.data].sort(
              (a, b) => Number(a.revoked_at !== null) - Number(b.revoked_at !== null) || b.id - a.id,
            )}
            rowKey={(k) => k.id}
            rowTestId="key-row"
            rowClassName={(k) => (k.revoked_at !== null ? 'row-off' : undefined)}
          />
        )}
      </QueryContent>
    </Card>
  );
}
