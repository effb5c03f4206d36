/** Wire types of the registry routes (`/api/v1/models/{m}/aliases…`, `/compare`, `/audit`). */

export interface AliasHolding {
  alias: string;
  version: string;
  from: string;
  to: string | null;
  set_by: string;
  reason: 'set' | 'rollback';
  ended_by: 'moved' | 'deleted' | 'rolled_back' | null;
}

export interface MetricCheck {
  metric: string;
  greater_is_better: boolean;
  threshold?: number;
  min_absolute_change?: number;
  min_relative_change?: number;
}

export interface CheckResult {
  metric: string;
  check: 'threshold' | 'min_absolute_change' | 'min_relative_change';
  passed: boolean;
  skipped: boolean;
  candidate: number | null;
  baseline: number | null;
  required: number;
  message: string;
}

export interface PromoteAnswer {
  current: AliasHolding;
  checks: CheckResult[];
}

export interface RollbackAnswer {
  current: AliasHolding;
  rolled_back_from: AliasHolding;
}

export interface MetricComparison {
  metric: string;
  greater_is_better: boolean;
  test: 'mcnemar' | 'delong' | 'paired_bootstrap';
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  a: number | null;
  b: number | null;
  difference: number | null;
  lower: number | null;
  upper: number | null;
  p_value: number | null;
  sample_size: number;
  sampled: boolean;
  better: 'a' | 'b' | null;
}

export interface ComparisonWindow {
  start: string;
  end: string;
  pairs: number;
  labelled: number;
  agreement: { rate: number | null; agreeing: number; mean_absolute_difference: number | null };
  estimated: {
    status: 'ok' | 'insufficient_data';
    reason: string | null;
    a: Record<string, number | null> | null;
    b: Record<string, number | null> | null;
  } | null;
  metrics: MetricComparison[];
}

export interface ComparedVersion {
  version: string;
  requested: string;
  alias: string | null;
}

export interface ComparisonResult {
  model: string;
  task: string;
  a: ComparedVersion;
  b: ComparedVersion;
  from: string;
  to: string;
  confidence: number;
  overall: ComparisonWindow;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { type: string; id: string; name: string | null; ref: string };
  entity_type: string;
  entity_id: string;
  model: string | null;
  action: string;
  before: unknown;
  after: unknown;
  secrets_changed: boolean;
}
