import { describe, expect, it } from 'vitest';
import { fingerprint, groupId, groupKey } from './fingerprint.js';

describe('fingerprints and group ids', () => {
  // Stored in the tables (alerts, series, groups, dedup keys): a new way of hashing must give these.
  it('are the same as those already stored', () => {
    expect(fingerprint({ severity: 'critical', model: 'fraud', feature: 'amount' })).toBe('20ea2af743d8d7ed');
    expect(groupId(1, 'alert', 'ops', groupKey(['model'], { model: 'fraud', feature: 'amount' }).key)).toBe(
      'gf97e8062929b7140',
    );
  });

  it('do not depend on the order of the labels', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1', b: '2' })).not.toBe(fingerprint({ a: '2', b: '1' }));
  });
});
