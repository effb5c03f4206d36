import type { ColumnProfile } from './profile.js';
import { hasCategories } from './values.js';
import type { WindowSummary } from './window.js';

/** Which data-quality rule raised an issue. */
export type QualityRule =
  | 'missing_rate'
  | 'type_violation'
  | 'out_of_range'
  | 'unseen_category'
  | 'cardinality_change'
  | 'constant_column'
  | 'duplicate_columns'
  | 'duplicate_rows';

/**
 * How serious a data-quality issue is: `warning` above the warning level, `critical` above the critical
 * level.
 */
export type Severity = 'warning' | 'critical';

/** One finding, ready for alerts and the dashboard. */
export interface QualityIssue {
  rule: QualityRule;
  /** Column (or columns, joined by ", ") the issue concerns; empty for dataset-wide rules. */
  column: string;
  severity: Severity;
  /** The measured quantity: a rate, an increase of a rate, or a ratio. */
  value: number;
  /** The threshold `value` crossed. */
  threshold: number;
  message: string;
  /** Most frequent unseen categories, for `unseen_category`. */
  examples?: { category: string; count: number }[];
}

/** A level above which an issue is a warning, and one above which it is critical. */
export interface SeverityLevels {
  warning: number;
  critical: number;
}

/** Thresholds of {@link checkColumn}; every field has a default. */
export interface QualityThresholds {
  /** Increase of the missing rate over the reference; default warning 0.05, critical 0.2. */
  missingRateIncrease: SeverityLevels;
  /** Increase of the type-violation rate over the reference; default warning 0, critical 0.05. */
  typeViolationIncrease: SeverityLevels;
  /** Share of valid values outside the reference range; default warning 0, critical 0.05. */
  outOfRangeRate: SeverityLevels;
  /** Share of valid values in categories the reference never saw; default warning 0, critical 0.1. */
  unseenCategoryRate: SeverityLevels;
  /** Window / reference distinct-count ratio outside [low, high] is a warning; default [0.5, 2]. */
  cardinalityRatio: { low: number; high: number };
  /** How many unseen categories to list; default 5. */
  maxExamples: number;
}

/** Default thresholds of {@link checkColumn}; fields passed to it replace these one by one. */
export const defaultQualityThresholds: QualityThresholds = {
  missingRateIncrease: { warning: 0.05, critical: 0.2 },
  typeViolationIncrease: { warning: 0, critical: 0.05 },
  outOfRangeRate: { warning: 0, critical: 0.05 },
  unseenCategoryRate: { warning: 0, critical: 0.1 },
  cardinalityRatio: { low: 0.5, high: 2 },
  maxExamples: 5,
};

/**
 * Checks one window of a column against its reference profile. Rates use the window's valid
 * values (neither missing nor type violations) as denominator, except the missing rate (all
 * rows) and the type-violation rate (non-missing rows). An empty window raises nothing.
 * Cardinality is checked for categorical, boolean and text columns only: the distinct count of
 * a continuous column mostly tracks the window size.
 */
export function checkColumn(
  profile: ColumnProfile,
  window: WindowSummary,
  thresholds: Partial<QualityThresholds> = {},
): QualityIssue[] {
  const t = { ...defaultQualityThresholds, ...thresholds };
  const issues: QualityIssue[] = [];
  const column = profile.name;
  if (window.count === 0) return issues;
  const present = window.count - window.missingCount;
  const valid = present - window.typeViolationCount;
  const push = (rule: QualityRule, value: number, levels: SeverityLevels, message: string) => {
    const severity = severityOf(value, levels);
    if (!severity) return undefined;
    const issue: QualityIssue = { rule, column, severity, value, threshold: levels[severity], message };
    issues.push(issue);
    return issue;
  };

  const missingRate = window.missingCount / window.count;
  push(
    'missing_rate',
    missingRate - profile.missingRate,
    t.missingRateIncrease,
    `${percent(missingRate)} of values are missing (reference ${percent(profile.missingRate)}).`,
  );

  if (present > 0) {
    const violationRate = window.typeViolationCount / present;
    push(
      'type_violation',
      violationRate - profile.typeViolationRate,
      t.typeViolationIncrease,
      `${window.typeViolationCount} values (${percent(violationRate)}) are not of type ${profile.type} (reference ${percent(profile.typeViolationRate)}).`,
    );
  }
  if (valid === 0) return issues;

  const outside = (window.belowMinCount ?? 0) + (window.aboveMaxCount ?? 0);
  if (profile.min !== undefined && profile.max !== undefined && outside > 0) {
    const range = `[${formatBound(profile.min, profile)}, ${formatBound(profile.max, profile)}]`;
    const seen =
      window.min !== undefined && window.max !== undefined
        ? `; window range [${formatBound(window.min, profile)}, ${formatBound(window.max, profile)}]`
        : '';
    push(
      'out_of_range',
      outside / valid,
      t.outOfRangeRate,
      `${outside} values (${percent(outside / valid)}) fall outside the reference range ${range}${seen}.`,
    );
  }

  const counts = window.categoryCounts ? entriesOf(window.categoryCounts) : undefined;
  if (profile.categories && counts) {
    const known = new Set(profile.categories);
    const unseen = counts.filter(([category, count]) => count > 0 && !known.has(category));
    const unseenCount = unseen.reduce((sum, [, count]) => sum + count, 0);
    if (unseenCount > 0) {
      unseen.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const examples = unseen.slice(0, t.maxExamples).map(([category, count]) => ({ category, count }));
      const issue = push(
        'unseen_category',
        unseenCount / valid,
        t.unseenCategoryRate,
        `${unseen.length} categories unseen in the reference cover ${percent(unseenCount / valid)} of values, e.g. ${examples.map((e) => JSON.stringify(e.category)).join(', ')}.`,
      );
      if (issue) issue.examples = examples;
    }
  }

  const distinct = window.distinctCount ?? counts?.filter(([, count]) => count > 0).length;
  if (
    distinct !== undefined &&
    (hasCategories(profile.type) || profile.type === 'text') &&
    profile.distinctCount > 0
  ) {
    const ratio = distinct / profile.distinctCount;
    const { low, high } = t.cardinalityRatio;
    if (ratio < low || ratio > high) {
      issues.push({
        rule: 'cardinality_change',
        column,
        severity: 'warning',
        value: ratio,
        threshold: ratio < low ? low : high,
        message: `${distinct} distinct values against ${profile.distinctCount} in the reference (ratio ${ratio.toFixed(2)}).`,
      });
    }
  }

  if (distinct === 1 && valid > 1 && profile.distinctCount > 1) {
    issues.push({
      rule: 'constant_column',
      column,
      severity: 'warning',
      value: 1,
      threshold: 1,
      message: `All ${valid} valid values are identical, while the reference has ${profile.distinctCount} distinct values.`,
    });
  }
  return issues;
}

function severityOf(value: number, levels: SeverityLevels): Severity | undefined {
  if (value > levels.critical) return 'critical';
  if (value > levels.warning) return 'warning';
  return undefined;
}

function entriesOf(
  counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
): [string, number][] {
  return counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function formatBound(value: number, profile: ColumnProfile): string {
  return profile.type === 'timestamp' ? new Date(value).toISOString() : String(value);
}
