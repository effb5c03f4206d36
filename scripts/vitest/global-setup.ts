/** Runs once per `vitest run`: fixes the fast-check seed for every worker and prints it. */
import { fastCheckSeed } from './fast-check-seed.js';

export default function setup(): void {
  const seed = fastCheckSeed();
  // Workers inherit the environment, so a drawn ("random") seed is the same in every worker.
  process.env.FC_SEED = String(seed);
  console.log(`fast-check seed: ${seed} (rerun with FC_SEED=${seed}; FC_SEED=random draws a new one)`);
}
