/** Wire types of the registry routes (`/api/v1/models/{m}/aliases…`, `/compare`, `/audit`), from the SDK. */
export type {
  AliasHolding,
  AuditEntry,
  ComparisonResult,
  ComparisonWindow,
  MetricCheck,
  MetricComparison,
  PromotionCheck as CheckResult,
  PromotionResult as PromoteAnswer,
  RollbackResult as RollbackAnswer,
} from '@vigil/sdk';
