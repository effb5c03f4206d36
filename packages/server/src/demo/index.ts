export { DEMO_MODEL, DEMO_TAG } from './churn.js';
export {
  DEFAULT_DEMO_OPTIONS,
  type DemoOptions,
  DemoService,
  type DemoStatus,
  MAX_DEMO_HISTORY,
} from './service.js';
