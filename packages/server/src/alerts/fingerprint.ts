/** Stable identities: an alert's fingerprint from its labels, a group's id from its key. */
import { hash as digest } from 'node:crypto';

/**
 * The first 16 hex digits of the text's SHA-256. The one-shot `crypto.hash` gives the same
 * digest as a `createHash` object at a third of its cost: the engine takes one per result and
 * rule (6,800 a minute for 20 models' default monitors).
 */
function hash(text: string): string {
  return digest('sha256', text, 'hex').slice(0, 16);
}

/** The same labels, in any order, give the same fingerprint. */
export function fingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return hash(JSON.stringify(sorted));
}

/** `{model="fraud",monitor="drift"}`, from the group-by labels the alert has. */
export function groupKey(
  groupBy: readonly string[],
  labels: Record<string, string>,
): {
  key: string;
  labels: Record<string, string>;
} {
  const groupLabels: Record<string, string> = {};
  for (const name of groupBy) {
    const value = labels[name];
    if (value !== undefined) groupLabels[name] = value;
  }
  const key = `{${Object.entries(groupLabels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
  return { key, labels: groupLabels };
}

export function groupId(projectId: number, kind: 'alert' | 'retrain', channel: string, key: string): string {
  return `g${hash(JSON.stringify([projectId, kind, channel, key]))}`;
}
