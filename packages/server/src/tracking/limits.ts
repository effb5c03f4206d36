/** MLflow's documented limits (mlflow/utils/validation.py), enforced with MLflow's messages. */
import { invalidParameter } from './mlflow-errors.js';

export const LIMITS = {
  entityKey: 250,
  paramValue: 6000,
  tagValue: 8000,
  experimentName: 500,
  experimentTagValue: 20_000,
  metricsPerBatch: 1000,
  paramsTagsPerBatch: 100,
  entitiesPerBatch: 1000,
  datasetsPerBatch: 1000,
  datasetName: 500,
  datasetDigest: 36,
  datasetSource: 65_535,
  datasetSchema: 1_048_575,
  datasetProfile: 16_777_215,
  inputTagKey: 255,
  inputTagValue: 500,
  registryTagKey: 250,
  registryTagValue: 100_000,
  aliasLength: 255,
  description: 100_000,
} as const;

/**
 * Metric, param and tag keys: letters, digits, `_ - . / :` and spaces, at most 250
 * characters, and never a path that resolves to another name (`a/../b`, `/x`, `.`).
 */
export function checkEntityKey(key: string, path: string, what: string): void {
  if (key.length > LIMITS.entityKey) {
    throw invalidParameter(
      `${what} '${key.slice(0, 40)}…' had length ${key.length}, which exceeded length limit of ${LIMITS.entityKey}`,
    );
  }
  if (!/^[/\w.\- :]*$/u.test(key)) {
    throw invalidParameter(
      `Invalid value "${key.slice(0, 80)}" for parameter '${path}' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  const segments = key.split('/');
  if (
    key.startsWith('/') ||
    key === '.' ||
    segments.some((s) => s === '..' || s === '.') ||
    /\/\//.test(key) ||
    key.endsWith('/')
  ) {
    throw invalidParameter(
      `Invalid value "${key.slice(0, 80)}" for parameter '${path}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such.`,
    );
  }
}
