import { describe, expect, it } from 'vitest';
import { ByteInterner } from './byte-interner.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('ByteInterner', () => {
  it('finds what bytes meant before, by their bytes only, within its bound', () => {
    const interner = new ByteInterner<string>();
    const line = bytes('red,green,red,blue,gre');
    expect(interner.lookup(line, 0, 3)).toBeUndefined();
    interner.remember(line, 0, 3, 'RED');
    expect(interner.lookup(line, 10, 13)).toBe('RED');
    expect(interner.lookup(line, 4, 9)).toBeUndefined();
    interner.remember(line, 4, 9, 'GREEN');
    // A prefix of a remembered value is another value.
    expect(interner.lookup(line, 19, 22)).toBeUndefined();
    expect(interner.lookup(line, 4, 9)).toBe('GREEN');
    // Many distinct values: the first ones stay found, the ones past the bound are not kept.
    for (let i = 0; i < 10_000; i++) {
      const id = bytes(`id-${i}`);
      if (interner.lookup(id, 0, id.length) === undefined) interner.remember(id, 0, id.length, `ID ${i}`);
    }
    const early = bytes('id-17');
    expect(interner.lookup(early, 0, early.length)).toBe('ID 17');
    const late = bytes('id-9999');
    expect(interner.lookup(late, 0, late.length)).toBeUndefined();
    expect(interner.lookup(line, 0, 3)).toBe('RED');
  });
});
