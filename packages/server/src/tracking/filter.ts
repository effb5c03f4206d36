/**
 * MLflow's run search syntax: a filter of comparisons joined by AND
 * (`metrics.rmse < 1 and params.model = "tree" and tags.\`team name\` LIKE 'ml%'`), and
 * order_by clauses (`metrics.rmse DESC`). Parsed into conditions the store turns into SQL
 * with bound values; anything else is an INVALID_PARAMETER_VALUE that says where.
 */
import type { ComparisonOp, RunCondition, RunOrder, StringOp } from '../storage/tracking.js';
import { invalidParameter } from './mlflow-errors.js';

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'quoted'; text: string; at: number; backtick: boolean }
  | { type: 'number'; value: number; at: number }
  | { type: 'op'; text: string; at: number }
  | { type: 'punct'; text: '(' | ')' | ','; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw invalidParameter(`Invalid filter: the quote at position ${i} is never closed.`);
      tokens.push({ type: 'quoted', text: input.slice(i + 1, end), at: i, backtick: c === '`' });
      i = end + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, at: i });
      i++;
      continue;
    }
    const op = /^(!=|<>|>=|<=|=|>|<)/.exec(input.slice(i));
    if (op) {
      tokens.push({ type: 'op', text: op[1] === '<>' ? '!=' : op[1]!, at: i });
      i += op[1]!.length;
      continue;
    }
    const number = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])/.exec(input.slice(i));
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[\w.:/-]+/.exec(input.slice(i));
    if (word) {
      tokens.push({ type: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw invalidParameter(`Invalid filter: unexpected character '${c}' at position ${i}.`);
  }
  return tokens;
}

type Kind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
const KINDS: Record<string, Kind> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};
const STRING_ATTRIBUTES = new Set(['run_id', 'run_name', 'status', 'user_id', 'artifact_uri']);
const TIME_ATTRIBUTES: Record<string, 'start_time' | 'end_time'> = {
  start_time: 'start_time',
  end_time: 'end_time',
  created: 'start_time',
  Created: 'start_time',
};
const ATTRIBUTE_ALIASES: Record<string, string> = { run_uuid: 'run_id', runName: 'run_name' };

class Cursor {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    readonly what: string,
  ) {}
  peek(): Token | undefined {
    return this.tokens[this.index];
  }
  next(expected: string): Token {
    const token = this.tokens[this.index++];
    if (!token) throw invalidParameter(`Invalid ${this.what}: expected ${expected} at the end.`);
    return token;
  }
  done(): boolean {
    return this.index >= this.tokens.length;
  }
  isWord(text: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.text.toUpperCase() === text;
  }
}

/** `kind.key`: an unquoted dotted word, or a kind followed by a quoted key. */
function entity(cursor: Cursor): { kind: Kind; key: string } {
  const token = cursor.next('an identifier such as metrics.rmse');
  if (token.type !== 'word') {
    throw invalidParameter(
      `Invalid ${cursor.what}: expected an identifier such as metrics.rmse at position ${token.at}.`,
    );
  }
  const dot = token.text.indexOf('.');
  const prefix = dot < 0 ? token.text : token.text.slice(0, dot);
  let key = dot < 0 ? '' : token.text.slice(dot + 1);
  const kind = KINDS[prefix];
  if (!kind) {
    throw invalidParameter(
      `Invalid ${cursor.what}: '${token.text}' does not start with metrics., params., tags., attributes. or datasets.`,
    );
  }
  if (key === '') {
    const quoted = cursor.next('a key');
    if (quoted.type !== 'quoted' || quoted.at !== token.at + token.text.length) {
      throw invalidParameter(`Invalid ${cursor.what}: '${token.text}' needs a key, e.g. ${prefix}.name.`);
    }
    key = quoted.text;
  }
  if (key === '') throw invalidParameter(`Invalid ${cursor.what}: '${token.text}' has an empty key.`);
  return { kind, key };
}

function operator(cursor: Cursor): string {
  const token = cursor.next('a comparison operator');
  if (token.type === 'op') return token.text;
  if (token.type === 'word') {
    const word = token.text.toUpperCase();
    if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return word;
    if (word === 'NOT' && cursor.isWord('IN')) {
      cursor.next('IN');
      return 'NOT IN';
    }
    if (word === 'IS') {
      if (cursor.isWord('NOT')) {
        cursor.next('NOT');
        if (!cursor.isWord('NULL'))
          throw invalidParameter(`Invalid ${cursor.what}: expected NULL after IS NOT.`);
        cursor.next('NULL');
        return 'IS NOT NULL';
      }
      if (!cursor.isWord('NULL')) throw invalidParameter(`Invalid ${cursor.what}: expected NULL after IS.`);
      cursor.next('NULL');
      return 'IS NULL';
    }
  }
  throw invalidParameter(`Invalid ${cursor.what}: expected a comparison operator at position ${token.at}.`);
}

function stringValue(cursor: Cursor, subject: string): string {
  const token = cursor.next('a quoted value');
  if (token.type === 'quoted' && !token.backtick) return token.text;
  throw invalidParameter(
    `Invalid ${cursor.what}: the value compared with ${subject} must be a quoted string (at position ${token.at}).`,
  );
}

function numberValue(cursor: Cursor, subject: string): number {
  const token = cursor.next('a number');
  if (token.type === 'number') return token.value;
  if (
    token.type === 'quoted' &&
    !token.backtick &&
    token.text.trim() !== '' &&
    Number.isFinite(Number(token.text))
  ) {
    return Number(token.text);
  }
  throw invalidParameter(
    `Invalid ${cursor.what}: the value compared with ${subject} must be a number (at position ${token.at}).`,
  );
}

function stringList(cursor: Cursor, subject: string): string[] {
  const open = cursor.next('(');
  if (open.type !== 'punct' || open.text !== '(') {
    throw invalidParameter(
      `Invalid ${cursor.what}: IN needs a parenthesised list of quoted strings after ${subject}.`,
    );
  }
  const values: string[] = [];
  for (;;) {
    values.push(stringValue(cursor, subject));
    const next = cursor.next(') or ,');
    if (next.type === 'punct' && next.text === ')') return values;
    if (next.type !== 'punct' || next.text !== ',') {
      throw invalidParameter(`Invalid ${cursor.what}: expected ',' or ')' at position ${next.at}.`);
    }
  }
}

const COMPARISONS = new Set(['=', '!=', '>', '>=', '<', '<=']);
const STRING_OPS = new Set(['=', '!=', 'LIKE', 'ILIKE']);

function comparison(cursor: Cursor): RunCondition {
  const { kind, key: rawKey } = entity(cursor);
  const subject = `${kind}s.${rawKey}`;
  const op = operator(cursor);
  const refuse = (): never => {
    throw invalidParameter(`Invalid ${cursor.what}: '${op}' is not supported for ${subject}.`);
  };
  switch (kind) {
    case 'metric':
      if (!COMPARISONS.has(op)) refuse();
      return { kind, key: rawKey, op: op as ComparisonOp, value: numberValue(cursor, subject) };
    case 'param':
    case 'tag':
      if (op === 'IS NULL' || op === 'IS NOT NULL') return { kind, key: rawKey, op };
      if (!STRING_OPS.has(op)) refuse();
      return { kind, key: rawKey, op: op as StringOp, value: stringValue(cursor, subject) };
    case 'dataset': {
      if (rawKey !== 'name' && rawKey !== 'digest') {
        throw invalidParameter(
          `Invalid ${cursor.what}: datasets can be searched by name or digest, not '${rawKey}'.`,
        );
      }
      if (op === 'IN' || op === 'NOT IN')
        return { kind, key: rawKey, op, value: stringList(cursor, subject) };
      if (!STRING_OPS.has(op)) refuse();
      return { kind, key: rawKey, op: op as StringOp, value: stringValue(cursor, subject) };
    }
    case 'attribute': {
      const key = ATTRIBUTE_ALIASES[rawKey] ?? rawKey;
      const time = TIME_ATTRIBUTES[key];
      if (time) {
        if (!COMPARISONS.has(op)) refuse();
        return { kind, key: time, op: op as ComparisonOp, value: numberValue(cursor, subject) };
      }
      if (!STRING_ATTRIBUTES.has(key)) {
        throw invalidParameter(
          `Invalid ${cursor.what}: unknown attribute '${rawKey}'; use run_id, run_name, status, user_id, artifact_uri, start_time or end_time.`,
        );
      }
      const attribute = key as 'run_id' | 'run_name' | 'status' | 'user_id' | 'artifact_uri';
      if (op === 'IN' || op === 'NOT IN')
        return { kind, key: attribute, op, value: stringList(cursor, subject) };
      if (!STRING_OPS.has(op)) refuse();
      return { kind, key: attribute, op: op as StringOp, value: stringValue(cursor, subject) };
    }
  }
}

/** Parses a run filter; empty or blank means no conditions. */
export function parseRunFilter(filter: string | undefined): RunCondition[] {
  if (!filter || filter.trim() === '') return [];
  const cursor = new Cursor(tokenize(filter), 'filter');
  const conditions = [comparison(cursor)];
  while (!cursor.done()) {
    if (!cursor.isWord('AND')) {
      const token = cursor.peek()!;
      throw invalidParameter(
        `Invalid filter: expected AND at position ${token.at}${cursor.isWord('OR') ? ' (OR is not supported)' : ''}.`,
      );
    }
    cursor.next('AND');
    conditions.push(comparison(cursor));
  }
  return conditions;
}

/** Parses order_by clauses such as `metrics.rmse DESC` or `attributes.start_time`. */
export function parseRunOrder(clauses: string[]): RunOrder[] {
  return clauses.map((clause) => {
    const cursor = new Cursor(tokenize(clause), 'order_by clause');
    const { kind, key: rawKey } = entity(cursor);
    let ascending = true;
    if (cursor.isWord('ASC') || cursor.isWord('DESC')) {
      ascending = (cursor.next('ASC or DESC') as { text: string }).text.toUpperCase() === 'ASC';
    }
    if (!cursor.done())
      throw invalidParameter(`Invalid order_by clause '${clause}': expected only ASC or DESC after the key.`);
    if (kind === 'dataset')
      throw invalidParameter(`Invalid order_by clause '${clause}': runs cannot be ordered by datasets.`);
    if (kind === 'attribute') {
      const key = TIME_ATTRIBUTES[rawKey] ?? ATTRIBUTE_ALIASES[rawKey] ?? rawKey;
      if (!STRING_ATTRIBUTES.has(key) && key !== 'start_time' && key !== 'end_time') {
        throw invalidParameter(`Invalid order_by clause '${clause}': unknown attribute '${rawKey}'.`);
      }
      return { kind, key, ascending };
    }
    return { kind, key: rawKey, ascending };
  });
}
