/** Label matchers (`=`, `!=`, `=~`, `!~`), shared by rules, silences and inhibition. */
import type { LabelMatcher } from '../domain/index.js';

/** Why a matcher cannot work, or null. Regexes are anchored, as in Alertmanager. */
export function matcherError(matcher: LabelMatcher): string | null {
  if (matcher.op === '=~' || matcher.op === '!~') {
    try {
      new RegExp(`^(?:${matcher.value})$`);
    } catch (error) {
      return `"${matcher.value}" is not a valid regular expression: ${(error as Error).message}`;
    }
  }
  return null;
}

const cache = new Map<string, RegExp>();
function anchored(source: string): RegExp {
  let re = cache.get(source);
  if (!re) {
    if (cache.size > 10_000) cache.clear();
    re = new RegExp(`^(?:${source})$`);
    cache.set(source, re);
  }
  return re;
}

/** An absent label matches as the empty string, as in Alertmanager. */
export function matches(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(value);
    case '!~':
      return !anchored(matcher.value).test(value);
  }
}

export function matchesAll(matchers: readonly LabelMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matches(m, labels));
}
