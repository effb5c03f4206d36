/** Notification channels: list, create, enable or disable, send a test, and the delivery log. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import type { Channel, ChannelTestResult, ChannelType, Delivery } from '@vigil/sdk';
import { type FormEvent, useState } from 'react';
import { api, describeError, hasRole, useCurrentUser } from '../../api';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { formatTime } from '../model/range';

const TYPES: { type: ChannelType; label: string; field: string; placeholder: string }[] = [
  { type: 'webhook', label: 'Webhook', field: 'url', placeholder: 'https://example.com/hooks/vigil' },
  { type: 'slack', label: 'Slack', field: 'webhook_url', placeholder: 'https://hooks.slack.com/services/…' },
  { type: 'email', label: 'Email', field: 'to', placeholder: 'oncall@example.com' },
  { type: 'pagerduty', label: 'PagerDuty', field: 'routing_key', placeholder: 'integration key' },
];

function NewChannel({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<ChannelType>('webhook');
  const [target, setTarget] = useState('');
  const queryClient = useQueryClient();
  const spec = TYPES.find((t) => t.type === type)!;
  const create = useMutation({
    mutationFn: () =>
      api.post<Channel>('/channels', {
        name,
        type,
        config: { [spec.field]: type === 'email' ? target.split(',').map((s) => s.trim()) : target },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['channels'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="stack card" onSubmit={submit} aria-labelledby="new-channel-h">
      <h2 id="new-channel-h">New channel</h2>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        <span>Type</span>
        <select value={type} onChange={(e) => setType(e.target.value as ChannelType)}>
          {TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{spec.field.replaceAll('_', ' ')}</span>
        <input
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          placeholder={spec.placeholder}
          required
        />
      </label>
      <p className="hint">
        More settings (SMTP server, headers, templates) are in docs/alerting.md and the API.
      </p>
      {create.isError && (
        <p className="form-error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ChannelRow({ channel, canEdit }: { channel: Channel; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<string | null>(null);
  const path = `/channels/${channel.id}`;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['channels'] });
    void queryClient.invalidateQueries({ queryKey: ['deliveries'] });
  };
  const test = useMutation({
    mutationFn: () => api.post<ChannelTestResult>(`${path}/test`, {}),
    onSuccess: (answer) => {
      setResult(
        answer.ok ? 'Test notification delivered.' : `Test failed: ${answer.last_error ?? 'no details'}`,
      );
      refresh();
    },
    onError: (error) => setResult(`Test failed: ${describeError(error)}`),
  });
  const toggle = useMutation({
    mutationFn: () => api.patch(path, { enabled: !channel.enabled }),
    onSuccess: refresh,
  });
  return (
    <tr>
      <th scope="row">{channel.name}</th>
      <td>{channel.type}</td>
      <td>{channel.enabled ? 'Enabled' : <span className="muted">Disabled</span>}</td>
      <td className="row">
        {canEdit && (
          <>
            <button
              type="button"
              className="button"
              onClick={() => test.mutate()}
              disabled={test.isPending}
              aria-label={`Send a test notification to ${channel.name}`}
            >
              {test.isPending ? 'Sending…' : 'Send a test notification'}
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => toggle.mutate()}
              aria-label={`${channel.enabled ? 'Disable' : 'Enable'} channel ${channel.name}`}
            >
              {channel.enabled ? 'Disable' : 'Enable'}
            </button>
          </>
        )}
        <span
          role="status"
          aria-live="polite"
          className={result?.startsWith('Test failed') ? 'form-error' : 'muted'}
        >
          {result}
        </span>
      </td>
    </tr>
  );
}

function ChannelsPage() {
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'editor');
  const [creating, setCreating] = useState(false);
  const channels = useQuery({
    queryKey: ['channels'],
    queryFn: async () => (await api.get<{ data: Channel[] }>('/channels')).data,
  });
  const deliveries = useQuery({
    queryKey: ['deliveries'],
    queryFn: async () => (await api.get<{ data: Delivery[] }>('/deliveries', { query: { limit: 100 } })).data,
    refetchInterval: 10_000,
  });
  return (
    <>
      <PageHeader
        title="Channels"
        description="Where alert notifications go. Every channel of the project gets every alert unless a rule names its channels."
        actions={
          canEdit ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New channel
            </button>
          ) : undefined
        }
      />
      {creating && <NewChannel onDone={() => setCreating(false)} />}
      {channels.isPending && <Loading />}
      {channels.isError && <ErrorState error={channels.error} />}
      {channels.data && channels.data.length === 0 && (
        <EmptyState title="No channels yet">
          <p>
            Alerts are recorded but nobody is told. Add a webhook, Slack, email or PagerDuty channel, then
            send it a test.
          </p>
        </EmptyState>
      )}
      {channels.data && channels.data.length > 0 && (
        <section className="card">
          <table className="table" data-testid="channels-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {channels.data.map((c) => (
                <ChannelRow key={c.id} channel={c} canEdit={canEdit} />
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="card" aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">Delivery log</h2>
        {deliveries.data && deliveries.data.length === 0 && <p className="muted">Nothing sent yet.</p>}
        {deliveries.isError && <ErrorState error={deliveries.error} />}
        {deliveries.data && deliveries.data.length > 0 && (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="numeric">
                    Attempts
                  </th>
                  <th scope="col">Last error</th>
                  <th scope="col">Notification</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.map((d) => (
                  <tr key={d.id}>
                    <td>{formatTime(d.created_at)}</td>
                    <td>{d.channel ?? <span className="muted">deleted</span>}</td>
                    <td>
                      <span className={`pill pill-delivery-${d.status}`}>{d.status}</span>
                    </td>
                    <td className="numeric">{d.attempts}</td>
                    <td>{d.last_error ?? '–'}</td>
                    <td>
                      <code>{d.dedup_key}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const channelsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/channels',
  component: ChannelsPage,
});
