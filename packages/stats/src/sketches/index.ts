/** Mergeable, serialisable sketches for large samples: quantiles, distinct counts, frequent items. */

export type { FrequentItem } from './frequent-items.js';
export { FrequentItemsSketch } from './frequent-items.js';
export { sketchBinnedCounts, sketchHistogram, sketchQuantileEdges } from './histogram.js';
export { HyperLogLog, hyperLogLogRelativeError } from './hyperloglog.js';
export type { KllOptions } from './kll.js';
export { KllSketch, kllRankErrorBound } from './kll.js';
export { hash64Into, xxHash64Hex } from './xxhash64.js';
