/**
 * @vigil/stats: pure statistics for model monitoring. No I/O, no runtime dependencies.
 * Everything other packages may use is exported here.
 */

export * from './detectors/index.js';
export * from './drift/index.js';
export * from './estimation/index.js';
export * from './fairness/index.js';
export * from './math/index.js';
export * from './monitoring/index.js';
export * from './multivariate/index.js';
export * from './paired/index.js';
export * from './performance/index.js';
export * from './quality/index.js';
export * from './sketches/index.js';
