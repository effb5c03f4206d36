/** Notification channels: list, create, enable or disable, send a test, and the delivery log. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import type { Channel, ChannelTestResult, ChannelType, Delivery } from '@vigil/sdk';
import { type FormEvent, useState } from 'react';
import { api, describeError, hasRole, useCurrentUser } from '../../api';
import { Card, QueryContent } from '../../components/Card';
import { type Column, DataTable } from '../../components/DataTable';
import { FormError, SelectField, TextField } from '../../components/form';
import { PageHeader } from '../../components/states';
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
      <TextField label="Name" value={name} onChange={setName} required />
      <SelectField
        label="Type"
        value={type}
        options={TYPES.map((t) => ({ value: t.type, label: t.label }))}
        onChange={setType}
      />
      <TextField
        label={spec.field.replaceAll('_', ' ')}
        value={target}
        onChange={setTarget}
        placeholder={spec.placeholder}
        required
      />
      <p className="hint">
        More settings (SMTP server, headers, templates) are in docs/alerting.md and the API.
      </p>
      <FormError error={create.error} />
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

function ChannelActions({ channel, canEdit }: { channel: Channel; canEdit: boolean }) {
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
    <div className="row">
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
    </div>
  );
}

function channelColumns(canEdit: boolean): Column<Channel>[] {
  return [
    { header: 'Name', rowHeader: true, cell: (c) => c.name },
    { header: 'Type', cell: (c) => c.type },
    { header: 'State', cell: (c) => (c.enabled ? 'Enabled' : <span className="muted">Disabled</span>) },
    { header: 'Actions', cell: (c) => <ChannelActions channel={c} canEdit={canEdit} /> },
  ];
}

const DELIVERY_COLUMNS: Column<Delivery>[] = [
  { header: 'When', cell: (d) => formatTime(d.created_at) },
  { header: 'Channel', cell: (d) => d.channel ?? <span className="muted">deleted</span> },
  { header: 'Status', cell: (d) => <span className={`pill pill-delivery-${d.status}`}>{d.status}</span> },
  { header: 'Attempts', numeric: true, cell: (d) => d.attempts },
  { header: 'Last error', cell: (d) => d.last_error ?? '–' },
  { header: 'Notification', cell: (d) => <code>{d.dedup_key}</code> },
];

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
      <QueryContent
        query={channels}
        what="channels"
        isEmpty={(data) => data.length === 0}
        empty={{
          title: 'No channels yet',
          body: (
            <p>
              Alerts are recorded but nobody is told. Add a webhook, Slack, email or PagerDuty channel, then
              send it a test.
            </p>
          ),
        }}
      >
        {(data) => (
          <section className="card" aria-label="Channels list">
            <DataTable
              caption="Channels"
              columns={channelColumns(canEdit)}
              rows={data}
              rowKey={(c) => c.id}
              testId="channels-table"
            />
          </section>
        )}
      </QueryContent>
      <Card title="Delivery log">
        <QueryContent
          query={deliveries}
          what="the delivery log"
          isEmpty={(data) => data.length === 0}
          empty={{
            title: 'Nothing sent yet',
            body: <p>Send a test notification to a channel to see it here.</p>,
          }}
        >
          {(data) => (
            <DataTable
              caption="Deliveries, newest first"
              columns={DELIVERY_COLUMNS}
              rows={data}
              rowKey={(d) => d.id}
              scroll
            />
          )}
        </QueryContent>
      </Card>
    </>
  );
}

export const channelsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/channels',
  component: ChannelsPage,
});
