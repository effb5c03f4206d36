/** Storage rows → API bodies (snake_case, ISO timestamps). */
import { formatTimestamp } from '../ingest/timestamps.js';
import type { ModelRow, ModelVersionRow, StoredEvent } from '../storage/types.js';
import type { Model, ModelVersion } from './schemas/models.js';
import type { StoredPrediction } from './schemas/records.js';

export function presentModel(model: ModelRow): Model {
  return {
    name: model.name,
    task: model.task,
    description: model.description,
    tags: model.tags,
    schema: model.schema,
    schema_source: model.schemaSource,
    created_at: model.createdAt.toISOString(),
    updated_at: model.updatedAt.toISOString(),
  };
}

/** What the registry knows of a version beyond the version itself. */
export interface VersionRegistryView {
  runId: string | null;
  dataDigest: string | null;
  aliases: string[];
}

export function presentVersion(
  model: ModelRow,
  version: ModelVersionRow,
  registry: VersionRegistryView = { runId: null, dataDigest: null, aliases: [] },
): ModelVersion {
  return {
    model: model.name,
    name: version.name,
    artifact_uri: version.artifactUri,
    params: version.params,
    metrics: version.metrics,
    tags: version.tags,
    description: version.description,
    created_at: version.createdAt.toISOString(),
    run_id: registry.runId,
    data_digest: registry.dataDigest,
    aliases: registry.aliases,
  };
}

/** Outcomes are stored as text; numbers come back as numbers. */
function outcomeValue(text: string | null, number: number | null): string | number | null {
  if (text === null) return null;
  return number !== null && String(number) === text ? number : text;
}

export function presentEvent(event: StoredEvent): StoredPrediction {
  const features: StoredPrediction['features'] = { ...event.features };
  // Values that did not fit their column's type come back as they were sent.
  for (const [name, value] of Object.entries(event.invalid ?? {})) {
    if (!name.startsWith('segments.')) features[name] = value;
  }
  return {
    id: event.id,
    timestamp: formatTimestamp(event.timestampMicros),
    version: event.version,
    features,
    prediction: outcomeValue(event.prediction, event.predictionNumber),
    score: event.score,
    scores: event.scores,
    label: outcomeValue(event.label, event.labelNumber),
    label_timestamp: event.labelTimestampMicros === null ? null : formatTimestamp(event.labelTimestampMicros),
    segments: event.segments,
    quality_violations: event.violations,
  };
}
