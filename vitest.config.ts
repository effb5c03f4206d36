import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['vigil-source'] },
  ssr: { resolve: { conditions: ['vigil-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'scripts/vitest/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Reproducible property tests: one fixed, printed fast-check seed (FC_SEED overrides it).
    globalSetup: ['scripts/vitest/global-setup.ts'],
    setupFiles: ['scripts/vitest/setup.ts'],
  },
});
