/** Monitors: definitions, evaluation into result rows, and the background evaluation loop. */
export { evaluateWindow } from './evaluate.js';
export { DEFAULT_MONITORING_OPTIONS, type MonitoringOptions, MonitorService } from './service.js';
export { perTestAlpha, samplingNoiseThreshold } from './thresholds.js';
export { type EvaluationWindow, windowMicros } from './windows.js';
