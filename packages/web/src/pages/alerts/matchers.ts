/** Label matchers as the server applies them, so a silence's preview shows what it will match. */
import type { LabelMatcher } from '@vigil/sdk';

export function matches(labels: Record<string, string>, matcher: LabelMatcher): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op ?? '=') {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
    case '!~': {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${matcher.value})$`);
      } catch {
        return false;
      }
      return matcher.op === '=~' ? re.test(value) : !re.test(value);
    }
  }
}

export function matchesAll(labels: Record<string, string>, matchers: LabelMatcher[]): boolean {
  return matchers.every((m) => matches(labels, m));
}
