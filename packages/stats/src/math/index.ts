export { besselK, besselKScaled } from './bessel.js';
export { cramerVonMisesLimitCdf } from './cramer-von-mises.js';
export {
  gcd,
  lowerBound,
  mean,
  medianSorted,
  quantileSorted,
  rankAverage,
  sortedCopy,
  standardDeviation,
  sum,
  tieCubeSumSorted,
  upperBound,
  variance,
} from './descriptive.js';
export {
  chiSquareCdf,
  chiSquareIsf,
  chiSquareSf,
  fCdf,
  fSf,
  studentTCdf,
  studentTSf,
} from './distributions.js';
export { sortFloat64 } from './float-sort.js';
export {
  log1pMinus,
  logBeta,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  regularizedIncompleteBetaComplement,
  regularizedIncompleteBetaUpper,
  stirlingRemainder,
} from './gamma.js';
export {
  kolmogorovCdf,
  kolmogorovSf,
  kolmogorovSmirnovCdf,
  kolmogorovSmirnovSf,
  smirnovSf,
} from './kolmogorov.js';
export { EMPTY_MOMENTS, type Moments, mergeMoments, momentsFromStd, momentsStd } from './moments.js';
export { erf, erfc, normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';
export { argsort } from './order.js';
export { createSeededNormals, createSeededRandom, type RandomStream, type SeededNormals } from './random.js';
