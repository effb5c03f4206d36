/**
 * The model's audit trail (`GET /api/v1/audit?model=`): who changed what, when. Left out on
 * servers without it; a user whose role may not read it is told so.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api';
import { Card, QueryContent } from '../../components/Card';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime, formatRelative } from '../../format';
import type { AuditEntry } from './types';

function summary(entry: AuditEntry): string {
  const after = entry.after as Record<string, unknown> | null;
  const before = entry.before as Record<string, unknown> | null;
  if (entry.entity_type === 'alias' && after && typeof after.version === 'string') {
    return before && typeof before.version === 'string' && before.version !== after.version
      ? `version ${before.version} → ${after.version}`
      : `version ${after.version}`;
  }
  return '';
}

const COLUMNS: Column<AuditEntry>[] = [
  {
    header: 'When',
    cell: (e) => (
      <time dateTime={e.at} title={formatDateTime(e.at)}>
        {formatRelative(e.at)}
      </time>
    ),
  },
  { header: 'Who', cell: (e) => e.actor.name ?? e.actor.ref },
  { header: 'What', cell: (e) => `${e.entity_type} ${e.entity_id}` },
  { header: 'Action', cell: (e) => e.action },
  { header: 'Change', cell: (e) => summary(e) || <span className="muted">–</span> },
];

export function AuditCard({ model }: { model: string }) {
  const audit = useQuery({
    queryKey: ['registry', model, 'audit'],
    queryFn: () => api.get<{ data: AuditEntry[] }>('/audit', { query: { model, limit: 50 } }),
    retry: false,
  });
  if (audit.error instanceof ApiError && (audit.error.status === 404 || audit.error.status === 405))
    return null;
  if (audit.error instanceof ApiError && audit.error.status === 403) {
    return (
      <Card title="Audit trail">
        <p className="muted">The audit trail is for admins.</p>
      </Card>
    );
  }
  return (
    <Card title="Audit trail" hint={`The last 50 changes to ${model}, its versions and aliases.`}>
      <QueryContent
        query={audit}
        what="the audit trail"
        isEmpty={(d) => d.data.length === 0}
        empty={{ title: 'No changes recorded yet' }}
      >
        {(d) => (
          <DataTable
            caption="Changes, newest first"
            columns={COLUMNS}
            rows={d.data}
            rowKey={(e) => e.id}
            testId="audit-trail"
            scroll
          />
        )}
      </QueryContent>
    </Card>
  );
}
