export { DEFAULT_POINTS, MAX_POINTS, parseSegment, resolveRange } from './resolution.js';
export { DashboardService, type SeriesQuery } from './service.js';
export type * from './views.js';
