import { migrateModelLabelsStatements } from './labels.js';
import { addTrafficOfStoredStatements } from './traffic.js';

/**
 * Versioned DDL for the embedded engine. Columns have no function defaults (ids and
 * times are set by the INSERTs): DuckDB cannot replay an ALTER TABLE of a table with
 * such a default from its write-ahead log after a crash.
 * Each migration runs once, in order, inside
 * a transaction, and is recorded in `schema_migrations`. Never edit a released
 * migration: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /** Statements run after `statements` for each model's event tables (e.g. to fill a rollup from them). */
  perModel?: (modelId: number) => string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'registry, keys, labels',
    statements: [
      'CREATE SEQUENCE seq_projects START 1',
      'CREATE SEQUENCE seq_api_keys START 1',
      'CREATE SEQUENCE seq_models START 1',
      'CREATE SEQUENCE seq_model_versions START 1',
      'CREATE SEQUENCE seq_reference_datasets START 1',
      `CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE,
        created_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        scope VARCHAR NOT NULL,
        key_hash VARCHAR NOT NULL UNIQUE,
        prefix VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
      )`,
      `CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        task VARCHAR NOT NULL,
        description VARCHAR,
        tags VARCHAR NOT NULL,
        schema VARCHAR,
        schema_source VARCHAR,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        UNIQUE (project_id, name)
      )`,
      `CREATE TABLE model_versions (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        artifact_uri VARCHAR,
        params VARCHAR NOT NULL,
        metrics VARCHAR NOT NULL,
        tags VARCHAR NOT NULL,
        description VARCHAR,
        created_at TIMESTAMP NOT NULL,
        UNIQUE (model_id, name)
      )`,
      `CREATE TABLE model_columns (
        model_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        declared BOOLEAN NOT NULL,
        PRIMARY KEY (model_id, position)
      )`,
      `CREATE TABLE reference_datasets (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        version_id INTEGER,
        created_at TIMESTAMP NOT NULL,
        UNIQUE (model_id, name)
      )`,
      `CREATE TABLE labels (
        model_id INTEGER NOT NULL,
        id VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        label_num DOUBLE,
        ts TIMESTAMP NOT NULL,
        received_at TIMESTAMP NOT NULL,
        PRIMARY KEY (model_id, id)
      )`,
    ],
  },
  {
    // No primary key: DuckDB refuses to re-insert a key deleted in the same transaction.
    version: 10,
    name: 'reference uploads by key',
    statements: [
      `CREATE TABLE reference_uploads (
        dataset_id INTEGER NOT NULL,
        upload_key VARCHAR NOT NULL,
        answer VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    // Keys the user chose (not `vk_` + random) were listed by their first characters;
    // show a fingerprint (first 8 hex digits of the SHA-256 already stored) instead.
    version: 30,
    name: 'fingerprints for user-chosen keys',
    statements: [
      "UPDATE api_keys SET prefix = 'sha256:' || substr(key_hash, 1, 8) WHERE NOT starts_with(prefix, 'vk_') AND NOT starts_with(prefix, 'sha256:')",
    ],
  },
  {
    version: 40,
    name: 'notification channels and outbox',
    statements: [
      'CREATE SEQUENCE seq_channels START 1',
      'CREATE SEQUENCE seq_outbox START 1',
      `CREATE TABLE channels (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        config VARCHAR NOT NULL,
        enabled BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        UNIQUE (project_id, name)
      )`,
      `CREATE TABLE outbox (
        id BIGINT PRIMARY KEY,
        uid VARCHAR NOT NULL,
        project_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        dedup_key VARCHAR NOT NULL,
        payload VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TIMESTAMP NOT NULL,
        last_error VARCHAR,
        lease_owner VARCHAR,
        lease_until TIMESTAMP,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        delivered_at TIMESTAMP,
        UNIQUE (channel_id, dedup_key)
      )`,
    ],
  },
  {
    version: 50,
    name: 'monitors and results',
    statements: [
      'CREATE SEQUENCE seq_monitors START 1',
      'CREATE SEQUENCE seq_monitor_results START 1',
      `CREATE TABLE monitors (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        enabled BOOLEAN NOT NULL,
        is_default BOOLEAN NOT NULL,
        config VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        UNIQUE (model_id, name)
      )`,
      // No index: results are appended in bulk and read by range scans (zone maps on window_start).
      `CREATE TABLE monitor_results (
        seq BIGINT NOT NULL,
        model_id INTEGER NOT NULL,
        monitor_id INTEGER NOT NULL,
        monitor_kind VARCHAR NOT NULL,
        version VARCHAR,
        segment VARCHAR,
        window_start TIMESTAMP NOT NULL,
        window_end TIMESTAMP NOT NULL,
        feature VARCHAR,
        metric VARCHAR NOT NULL,
        value DOUBLE,
        threshold_lower DOUBLE,
        threshold_upper DOUBLE,
        band_lower DOUBLE,
        band_upper DOUBLE,
        sample_size BIGINT NOT NULL,
        status VARCHAR NOT NULL,
        reason VARCHAR,
        details VARCHAR,
        evaluated_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE evaluation_tasks (
        monitor_id INTEGER NOT NULL,
        window_start BIGINT NOT NULL,
        window_end BIGINT NOT NULL,
        due_at BIGINT NOT NULL,
        generation INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        last_error VARCHAR,
        lease_owner VARCHAR,
        lease_until BIGINT,
        PRIMARY KEY (monitor_id, window_start)
      )`,
      `CREATE TABLE monitor_progress (
        monitor_id INTEGER PRIMARY KEY,
        scheduled_through BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 60,
    name: 'alerting',
    statements: [
      'CREATE SEQUENCE seq_alert_rules START 1',
      'CREATE SEQUENCE seq_alerts START 1',
      'CREATE SEQUENCE seq_silences START 1',
      'CREATE SEQUENCE seq_alert_comments START 1',
      // Times are epoch milliseconds of the engine's clock (BIGINT), so tests can inject it.
      `CREATE TABLE alert_rules (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        spec VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL,
        UNIQUE (model_id, name)
      )`,
      'CREATE TABLE alert_cursor (name VARCHAR PRIMARY KEY, seq BIGINT NOT NULL)',
      `CREATE TABLE alert_series (
        fingerprint VARCHAR PRIMARY KEY,
        model_id INTEGER NOT NULL,
        rule_id INTEGER,
        windows VARCHAR NOT NULL,
        detector VARCHAR,
        last_fed_us BIGINT
      )`,
      `CREATE TABLE alerts (
        id BIGINT PRIMARY KEY,
        fingerprint VARCHAR NOT NULL,
        project_id INTEGER NOT NULL,
        model_id INTEGER NOT NULL,
        rule_id INTEGER,
        rule_name VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        labels VARCHAR NOT NULL,
        annotations VARCHAR NOT NULL,
        value DOUBLE,
        threshold_lower DOUBLE,
        threshold_upper DOUBLE,
        window_start_us BIGINT NOT NULL,
        window_end_us BIGINT NOT NULL,
        active_ms BIGINT NOT NULL,
        fired_ms BIGINT,
        resolved_ms BIGINT,
        updated_ms BIGINT NOT NULL,
        acknowledged_ms BIGINT,
        acknowledged_by VARCHAR,
        group_ids VARCHAR NOT NULL
      )`,
      `CREATE TABLE alert_groups (
        id VARCHAR PRIMARY KEY,
        project_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        group_key VARCHAR NOT NULL,
        group_labels VARCHAR NOT NULL,
        wait_ms BIGINT NOT NULL,
        interval_ms BIGINT NOT NULL,
        repeat_ms BIGINT NOT NULL,
        pending_since_ms BIGINT,
        last_notified_ms BIGINT,
        last_notified_firing VARCHAR NOT NULL,
        notify_count INTEGER NOT NULL
      )`,
      `CREATE TABLE silences (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL,
        matchers VARCHAR NOT NULL,
        starts_ms BIGINT NOT NULL,
        ends_ms BIGINT NOT NULL,
        comment VARCHAR NOT NULL,
        created_by VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE alert_comments (
        id INTEGER PRIMARY KEY,
        alert_id BIGINT NOT NULL,
        author VARCHAR NOT NULL,
        body VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 70,
    name: 'users, sessions, key usage',
    statements: [
      'CREATE SEQUENCE seq_users START 1',
      // Times are epoch milliseconds of the server's clock (BIGINT), so tests can inject it.
      `CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL,
        username VARCHAR NOT NULL UNIQUE,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        disabled BOOLEAN NOT NULL,
        created_by VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL,
        last_sign_in_ms BIGINT
      )`,
      `CREATE TABLE sessions (
        token_hash VARCHAR PRIMARY KEY,
        user_id INTEGER NOT NULL,
        csrf_token VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL,
        last_seen_ms BIGINT NOT NULL,
        expires_ms BIGINT NOT NULL,
        max_expires_ms BIGINT NOT NULL
      )`,
      'ALTER TABLE api_keys ADD COLUMN last_used_ms BIGINT',
      'ALTER TABLE api_keys ADD COLUMN created_by VARCHAR',
    ],
  },
  {
    // Experiment tracking as MLflow's client speaks it. Times are epoch milliseconds (BIGINT),
    // as MLflow's own API gives them. Params, metrics, tags and inputs are rows of their own so
    // runs can be searched and ordered by them in SQL.
    version: 80,
    name: 'tracking: experiments, runs, metrics, params, tags, inputs, logged models, artifacts',
    statements: [
      'CREATE SEQUENCE seq_experiments START 1',
      `CREATE TABLE experiments (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        artifact_location VARCHAR NOT NULL,
        lifecycle_stage VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL,
        UNIQUE (project_id, name)
      )`,
      `CREATE TABLE experiment_tags (
        experiment_id INTEGER NOT NULL,
        key VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        PRIMARY KEY (experiment_id, key)
      )`,
      `CREATE TABLE runs (
        id VARCHAR PRIMARY KEY,
        project_id INTEGER NOT NULL,
        experiment_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        user_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        start_ms BIGINT,
        end_ms BIGINT,
        lifecycle_stage VARCHAR NOT NULL,
        artifact_uri VARCHAR NOT NULL
      )`,
      `CREATE TABLE run_params (
        run_id VARCHAR NOT NULL,
        key VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        PRIMARY KEY (run_id, key)
      )`,
      `CREATE TABLE run_tags (
        run_id VARCHAR NOT NULL,
        key VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        PRIMARY KEY (run_id, key)
      )`,
      // Every logged value (the history); the latest per key is derived in SQL.
      `CREATE TABLE run_metrics (
        run_id VARCHAR NOT NULL,
        key VARCHAR NOT NULL,
        value DOUBLE NOT NULL,
        timestamp_ms BIGINT NOT NULL,
        step BIGINT NOT NULL,
        model_id VARCHAR,
        dataset_name VARCHAR,
        dataset_digest VARCHAR
      )`,
      `CREATE TABLE run_inputs (
        run_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        digest VARCHAR NOT NULL,
        source_type VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        schema VARCHAR,
        profile VARCHAR,
        tags VARCHAR NOT NULL,
        PRIMARY KEY (run_id, name, digest)
      )`,
      `CREATE TABLE run_model_outputs (
        run_id VARCHAR NOT NULL,
        model_id VARCHAR NOT NULL,
        step BIGINT NOT NULL,
        PRIMARY KEY (run_id, model_id)
      )`,
      `CREATE TABLE logged_models (
        id VARCHAR PRIMARY KEY,
        project_id INTEGER NOT NULL,
        experiment_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        source_run_id VARCHAR,
        status VARCHAR NOT NULL,
        model_type VARCHAR,
        artifact_uri VARCHAR NOT NULL,
        params VARCHAR NOT NULL,
        tags VARCHAR NOT NULL,
        lifecycle_stage VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL
      )`,
      // Artifact files by path; their bytes live once per digest in the artifact store.
      `CREATE TABLE artifact_files (
        project_id INTEGER NOT NULL,
        path VARCHAR NOT NULL,
        digest VARCHAR NOT NULL,
        size BIGINT NOT NULL,
        created_ms BIGINT NOT NULL,
        PRIMARY KEY (project_id, path)
      )`,
    ],
  },
  {
    // A registry version is a Vigil model version; these are the registry's own details
    // of it. Alias history: one row per holding, `to_ms` null while it holds.
    version: 81,
    name: 'registry: version details and alias history',
    statements: [
      'CREATE SEQUENCE seq_alias_history START 1',
      `CREATE TABLE registry_versions (
        version_id INTEGER PRIMARY KEY,
        source VARCHAR,
        run_id VARCHAR,
        logged_model_id VARCHAR,
        user_id VARCHAR,
        status VARCHAR NOT NULL,
        data_digest VARCHAR,
        updated_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE alias_history (
        id BIGINT PRIMARY KEY,
        model_id INTEGER NOT NULL,
        alias VARCHAR NOT NULL,
        version_id INTEGER NOT NULL,
        from_ms BIGINT NOT NULL,
        to_ms BIGINT,
        set_by VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        ended_by VARCHAR
      )`,
    ],
  },
  {
    // Append-only: no statement updates or deletes these rows except deleting a project.
    version: 120,
    name: 'audit trail',
    statements: [
      'CREATE SEQUENCE seq_audit_log START 1',
      `CREATE TABLE audit_log (
        id BIGINT PRIMARY KEY,
        project_id INTEGER NOT NULL,
        at_ms BIGINT NOT NULL,
        actor_type VARCHAR NOT NULL,
        actor_id VARCHAR NOT NULL,
        actor_name VARCHAR,
        actor_ref VARCHAR NOT NULL,
        entity_type VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        model_name VARCHAR,
        action VARCHAR NOT NULL,
        before_json VARCHAR,
        after_json VARCHAR,
        secrets_changed BOOLEAN NOT NULL,
        request_id VARCHAR
      )`,
    ],
  },
  {
    // A second version's predictions for ids the serving version already logged (the per-model
    // predictions table holds one prediction per id), for paired champion/challenger comparison.
    version: 130,
    name: 'shadow predictions',
    statements: [
      `CREATE TABLE shadow_predictions (
        model_id INTEGER NOT NULL,
        version VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        prediction VARCHAR,
        prediction_num DOUBLE,
        score DOUBLE,
        scores VARCHAR,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (model_id, version, id)
      )`,
    ],
  },
  {
    // Traffic per model and hour, kept by ingestion in the transaction of the rows (see
    // traffic.ts), so the overview and health read it instead of every prediction table.
    version: 140,
    name: 'traffic rollup per model and hour',
    statements: [
      `CREATE TABLE prediction_traffic (
        model_id INTEGER NOT NULL,
        hour_us BIGINT NOT NULL,
        predictions BIGINT NOT NULL,
        last_us BIGINT NOT NULL,
        version VARCHAR,
        version_us BIGINT,
        PRIMARY KEY (model_id, hour_us)
      )`,
      `CREATE TABLE model_traffic (
        model_id INTEGER PRIMARY KEY,
        predictions BIGINT NOT NULL,
        last_us BIGINT NOT NULL
      )`,
    ],
    perModel: (modelId) => addTrafficOfStoredStatements(modelId),
  },
  {
    // Reference-side statistics kept per reference dataset (see storage/reference-baselines.ts).
    // A dataset's revision changes with its rows; a dataset without one is at revision 0.
    version: 150,
    name: 'reference baselines',
    statements: [
      'CREATE SEQUENCE seq_reference_revisions START 1',
      `CREATE TABLE reference_revisions (
        dataset_id INTEGER PRIMARY KEY,
        revision BIGINT NOT NULL
      )`,
      `CREATE TABLE reference_baselines (
        dataset_id INTEGER NOT NULL,
        model_id INTEGER NOT NULL,
        revision BIGINT NOT NULL,
        key VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        body BLOB NOT NULL,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (dataset_id, key)
      )`,
    ],
  },
  {
    // Additive profiles of the sub-windows (minutes) of an open window, so that evaluating the
    // window again profiles only the minutes that changed (see storage/profile-partials.ts).
    version: 155,
    name: 'partial window profiles',
    statements: [
      `CREATE TABLE profile_partials (
        model_id INTEGER NOT NULL,
        window_start_us BIGINT NOT NULL,
        window_end_us BIGINT NOT NULL,
        shape VARCHAR NOT NULL,
        bucket_us BIGINT NOT NULL,
        rows BIGINT NOT NULL,
        payload VARCHAR NOT NULL,
        PRIMARY KEY (model_id, window_start_us, window_end_us, shape, bucket_us)
      )`,
    ],
  },
  {
    // Labels per model, each with its prediction's timestamp, so that a window's label join
    // reads its own time range, not every model's labels (see labels.ts); those without a
    // stored prediction wait in pending_labels.
    version: 157,
    name: 'labels per model',
    // The single table of before (migration 9) becomes the waiting room as it is: the same
    // columns and key; the per-model step moves out the labels whose prediction is stored.
    statements: ['ALTER TABLE labels RENAME TO pending_labels'],
    perModel: migrateModelLabelsStatements,
  },
  {
    // The traffic a group commit adds, appended as it is (see traffic.ts): rows of the same
    // hour are summed when read and folded into prediction_traffic and model_traffic now and then.
    version: 158,
    name: 'traffic deltas',
    statements: [
      `CREATE TABLE traffic_deltas (
        model_id INTEGER NOT NULL,
        hour_us BIGINT NOT NULL,
        predictions BIGINT NOT NULL,
        last_us BIGINT NOT NULL,
        version VARCHAR,
        version_us BIGINT
      )`,
    ],
  },
];

/** Fixed columns of the per-model event tables; feature and segment columns (`c<position>`) follow them. */
const EVENT_COLUMNS = [
  'ts TIMESTAMP NOT NULL',
  'version VARCHAR',
  'prediction VARCHAR',
  'prediction_num DOUBLE',
  'score DOUBLE',
  'scores VARCHAR',
  'violations VARCHAR',
  'invalid VARCHAR',
];
export const PREDICTION_TABLE_COLUMNS = [
  'id VARCHAR NOT NULL PRIMARY KEY',
  ...EVENT_COLUMNS,
  'ingested_at TIMESTAMP NOT NULL',
];
export const REFERENCE_TABLE_COLUMNS = [
  'dataset_id INTEGER NOT NULL',
  'id VARCHAR NOT NULL',
  ...EVENT_COLUMNS,
  'label VARCHAR',
  'label_num DOUBLE',
];

/** The name of a column definition such as `ts TIMESTAMP NOT NULL`. */
export function columnName(definition: string): string {
  return definition.slice(0, definition.indexOf(' '));
}

/**
 * Per-model event tables, with the given feature and segment columns (`c3 DOUBLE`, …);
 * columns added later come with ALTER TABLE, or a rebuild when many come at once.
 */
export function modelTableStatements(
  predictions: string,
  reference: string,
  featureColumns: string[] = [],
): string[] {
  return [
    `CREATE TABLE ${predictions} (${[...PREDICTION_TABLE_COLUMNS, ...featureColumns].join(', ')})`,
    `CREATE TABLE ${reference} (${[...REFERENCE_TABLE_COLUMNS, ...featureColumns].join(', ')})`,
  ];
}
