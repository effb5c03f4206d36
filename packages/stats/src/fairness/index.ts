export type { GroupConfusionCounts } from './group-counts.js';
export { groupConfusionCounts } from './group-counts.js';
export type { FairnessOptions, FairnessReport, GroupGap, GroupPerformance } from './report.js';
export { fairnessReport, fairnessReportFromLabels } from './report.js';
