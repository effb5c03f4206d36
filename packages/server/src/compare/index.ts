export { registerComparisonRoutes } from './routes.js';
export { type ComparisonRequest, ComparisonService, type ResolvedSide } from './service.js';
