import type { Channel, ChannelType } from '../../domain/index.js';
import { ChannelNameTakenError, type ChannelRepository, type NewChannel } from '../channels.js';
import { type DuckDbDatabase, parseJson, type Row, toDate, toNumber } from './database.js';

const COLUMNS =
  'id, project_id, name, type, config, enabled, epoch_us(created_at)::DOUBLE AS created, epoch_us(updated_at)::DOUBLE AS updated';

function fromRow(row: Row): Channel {
  return {
    id: toNumber(row.id),
    projectId: toNumber(row.project_id),
    name: row.name as string,
    type: row.type as ChannelType,
    config: parseJson(row.config, {}),
    enabled: row.enabled as boolean,
    createdAt: toDate(row.created),
    updatedAt: toDate(row.updated),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /duplicate key|unique constraint/i.test(error.message);
}

export class DuckDbChannels implements ChannelRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async create(input: NewChannel): Promise<Channel> {
    try {
      const [row] = await this.db.write(
        `INSERT INTO channels (id, project_id, name, type, config, enabled, created_at, updated_at)
         VALUES (nextval('seq_channels'), $1, $2, $3, $4, $5, now(), now()) RETURNING ${COLUMNS}`,
        [input.projectId, input.name, input.type, JSON.stringify(input.config), input.enabled],
      );
      return fromRow(row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ChannelNameTakenError(input.name);
      throw error;
    }
  }

  async get(id: number): Promise<Channel | null> {
    const [row] = await this.db.read(`SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
    return row ? fromRow(row) : null;
  }

  async getByName(projectId: number, name: string): Promise<Channel | null> {
    const [row] = await this.db.read(`SELECT ${COLUMNS} FROM channels WHERE project_id = $1 AND name = $2`, [
      projectId,
      name,
    ]);
    return row ? fromRow(row) : null;
  }

  async list(projectId: number): Promise<Channel[]> {
    const rows = await this.db.read(`SELECT ${COLUMNS} FROM channels WHERE project_id = $1 ORDER BY id`, [
      projectId,
    ]);
    return rows.map(fromRow);
  }

  async update(
    id: number,
    patch: Partial<Pick<Channel, 'name' | 'config' | 'enabled'>>,
  ): Promise<Channel | null> {
    try {
      const [row] = await this.db.write(
        `UPDATE channels SET name = coalesce(CAST($2 AS VARCHAR), name),
           config = coalesce(CAST($3 AS VARCHAR), config),
           enabled = coalesce(CAST($4 AS BOOLEAN), enabled), updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          patch.name ?? null,
          patch.config === undefined ? null : JSON.stringify(patch.config),
          patch.enabled ?? null,
        ],
      );
      return row ? fromRow(row) : null;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ChannelNameTakenError(patch.name ?? '');
      throw error;
    }
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.db.write('DELETE FROM channels WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }
}
