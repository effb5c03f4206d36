/** Runs in every test worker: every fc.assert uses the run's seed (see global-setup.ts). */
import fc from 'fast-check';
import { fastCheckSeed } from './fast-check-seed.js';

fc.configureGlobal({ seed: fastCheckSeed() });
