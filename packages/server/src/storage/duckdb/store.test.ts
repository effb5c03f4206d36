import { describeStore } from '../store.suite.js';
import { DuckDbStore } from './store.js';

describeStore('duckdb', () => DuckDbStore.open({ path: ':memory:' }));
// Without the profile extension, DuckDB's own `count`, `avg` and `histogram`: the same contract.
describeStore(
  "duckdb, DuckDB's own histogram",
  () => DuckDbStore.open({ path: ':memory:', nativeBins: false }),
  {
    profilesOnly: true,
  },
);
