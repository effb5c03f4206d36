import { describe, expect, it } from 'vitest';
import { loadGolden } from '../test-support.js';
import { hash64Into, xxHash64Hex } from './xxhash64.js';

interface HashFixture {
  xxh64_strings: { value: string; seed: number; hash: string }[];
  xxh64_numbers: { value: number | string; hash: string }[];
}

const fixture = loadGolden<HashFixture>('sketches');
const encoder = new TextEncoder();

function hex(out: Uint32Array): string {
  return out[0]!.toString(16).padStart(8, '0') + out[1]!.toString(16).padStart(8, '0');
}

describe('xxHash64 against the XXH64 reference library', () => {
  it('hashes UTF-8 strings of every length class (0..1000 bytes, with and without seed)', () => {
    const out = new Uint32Array(2);
    for (const { value, seed, hash } of fixture.xxh64_strings) {
      expect(xxHash64Hex(encoder.encode(value), seed), JSON.stringify(value)).toBe(hash);
      hash64Into(value, out, seed);
      expect(hex(out)).toBe(hash);
    }
  });

  it('hashes numbers by their little-endian IEEE-754 bytes', () => {
    const out = new Uint32Array(2);
    for (const { value, hash } of fixture.xxh64_numbers) {
      const x = typeof value === 'number' ? value : Number(value);
      hash64Into(x, out);
      expect(hex(out), String(value)).toBe(hash);
    }
  });

  it('folds -0 into 0 and all NaNs into one', () => {
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    hash64Into(-0, a);
    hash64Into(0, b);
    expect(a).toEqual(b);
    hash64Into(Number.NaN, a);
    hash64Into(0 / 0, b);
    expect(a).toEqual(b);
  });
});
