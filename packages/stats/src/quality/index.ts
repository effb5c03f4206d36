export type { QualityIssue, QualityRule, QualityThresholds, Severity, SeverityLevels } from './checks.js';
export { checkColumn, defaultQualityThresholds } from './checks.js';
export { duplicateColumns, duplicateRowRate } from './duplicates.js';
export type { ColumnProfile } from './profile.js';
export { buildColumnProfile } from './profile.js';
export type { ColumnType } from './values.js';
export { conformsToType, isMissing } from './values.js';
export type { WindowSummary } from './window.js';
export { summarizeWindow } from './window.js';
