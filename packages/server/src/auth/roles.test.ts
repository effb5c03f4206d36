import { describe, expect, it } from 'vitest';
import { roleAllows } from './roles.js';

describe('roleAllows', () => {
  it('gives viewers read, editors read and write, admins everything', () => {
    const table = (['viewer', 'editor', 'admin'] as const).map((role) =>
      (['read', 'write', 'admin'] as const).map((scope) => roleAllows(role, scope)),
    );
    expect(table).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });
});
