/**
 * One seed for every fast-check property in the repository, so `npm test` draws the same
 * examples on every run and in CI. `FC_SEED=<n>` picks another seed (e.g. to explore);
 * `FC_SEED=random` draws one. A failing property prints its seed and path in its error.
 */
export const DEFAULT_FC_SEED = 20_261_201;

export function fastCheckSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FC_SEED?.trim();
  if (raw === undefined || raw === '') return DEFAULT_FC_SEED;
  if (raw === 'random') return (Date.now() ^ (Math.random() * 0x1_0000_0000)) | 0;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${raw}`);
  return seed | 0;
}
