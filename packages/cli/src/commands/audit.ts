import type { AuditEntityType, AuditEntry } from '@vigil/sdk';
import { AUDIT_ENTITY_TYPES } from '@vigil/server/domain';
import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { connect, request, type ServerFlags, serverOptions, table } from '../server-api.js';

interface AuditFlags extends ServerFlags {
  entity?: AuditEntityType;
  id?: string;
  model?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: string;
  json?: boolean;
}

/** What changed, in a few words: the fields whose values differ between before and after. */
export function changedFields(entry: Pick<AuditEntry, 'before' | 'after' | 'secrets_changed'>): string {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  if (entry.before === null || entry.after === null) return '';
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  if (entry.secrets_changed) keys.push('(secrets)');
  return keys.join(', ');
}

function actorOf(entry: AuditEntry): string {
  return entry.actor.name && entry.actor.type === 'api_key'
    ? `${entry.actor.ref} (${entry.actor.name})`
    : entry.actor.ref;
}

/** `vigil audit`: who changed what, and when. */
export function register(program: Command, io: CliIo): void {
  serverOptions(
    program
      .command('audit')
      .summary('show the audit trail: who changed what, and when')
      .description(
        'Show the audit trail, newest first: every change to models, versions, aliases, monitors, alert rules, ' +
          'alerts, channels, silences, users and API keys. Admin keys see every entry; other keys the entries about models.',
      )
      .addOption(new Option('--entity <type>', 'only this kind of entity').choices(AUDIT_ENTITY_TYPES))
      .option(
        '--id <id>',
        'only this entity (a model name, <model>/<version>, <model>@<alias>, or a numeric id)',
      )
      .option('-m, --model <name>', 'only this model and what belongs to it')
      .option('--actor <who>', 'only changes by user:<name>, api-key:<id>, or a user or key name')
      .option('--action <action>', 'only this action (create, update, delete, set, rollback, promote, …)')
      .option('--from <time>', 'only changes at or after this time (RFC 3339 or epoch)')
      .option('--to <time>', 'only changes before this time')
      .option('--limit <n>', 'how many entries', '50')
      .option('--json', 'print the entries as JSON, with the entity before and after'),
  ).action(async (flags: AuditFlags) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new CliError(`--limit must be a whole number from 1 to 1000; got '${flags.limit}'`);
    }
    const api = connect(flags, io);
    const page = await request(() =>
      api.listAudit({
        limit,
        ...(flags.entity ? { entity_type: flags.entity } : {}),
        ...(flags.id ? { entity_id: flags.id } : {}),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.actor ? { actor: flags.actor } : {}),
        ...(flags.action ? { action: flags.action } : {}),
        ...(flags.from ? { from: flags.from } : {}),
        ...(flags.to ? { to: flags.to } : {}),
      }),
    );
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(page.data, null, 2)}\n`);
      return;
    }
    if (page.data.length === 0) {
      io.stdout.write('No audit entries.\n');
      return;
    }
    const rows = page.data.map((e) => [
      e.at,
      actorOf(e),
      e.action,
      e.entity_type,
      e.entity_id,
      changedFields(e),
    ]);
    io.stdout.write(table(['AT', 'ACTOR', 'ACTION', 'ENTITY', 'ID', 'CHANGED'], rows));
    if (page.next_cursor) io.stdout.write(`More entries: narrow with --from/--to or raise --limit.\n`);
  });
}
