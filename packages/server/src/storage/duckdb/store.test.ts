import { describeStore } from '../store.suite.js';
import { DuckDbStore } from './store.js';

describeStore('duckdb', () => DuckDbStore.open({ path: ':memory:' }));
