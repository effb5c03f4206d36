import { describe, expect, it } from 'vitest';
import { createSeededNormals, createSeededRandom, Mulberry32, mulberry32, shuffleInPlace } from './random.js';

describe('createSeededRandom', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const c = createSeededRandom(43);
    const first = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(first);
  });

  it('has the moments of U(0, 1), N(0, 1) and a uniform integer', () => {
    const rng = createSeededRandom(7);
    const n = 200_000;
    let sumU = 0;
    let sumZ = 0;
    let sumZ2 = 0;
    const bins = new Float64Array(6);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      sumU += u;
      const z = rng.normal();
      sumZ += z;
      sumZ2 += z * z;
      bins[rng.integer(6)]! += 1;
    }
    expect(outside).toBe(0);
    // Five standard errors of each estimate.
    expect(Math.abs(sumU / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumZ / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sumZ2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    for (const count of bins) expect(Math.abs(count / n - 1 / 6)).toBeLessThan(5 * Math.sqrt(5 / 36 / n));
  });
});

describe('mulberry32', () => {
  it('keeps its published stream, and the object and function forms agree', () => {
    const bits = new Mulberry32(42);
    expect([bits.nextUint32(), bits.nextUint32(), bits.nextUint32()]).toEqual([
      2581720956, 1925393290, 3661312704,
    ]);
    const object = new Mulberry32(7);
    const uniform = mulberry32(7);
    for (let i = 0; i < 100; i++) expect(uniform()).toBe(object.nextUint32() / 4294967296);
  });

  it('resumes from its state', () => {
    const a = new Mulberry32(3);
    for (let i = 0; i < 10; i++) a.nextBit();
    const b = new Mulberry32(a.state);
    expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it('shuffles into a permutation', () => {
    const order = shuffleInPlace(
      Uint32Array.from({ length: 50 }, (_, i) => i),
      mulberry32(1),
    );
    expect(Array.from(order).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('createSeededNormals', () => {
  it('draws its uniforms from mulberry32 and its normals by Box–Muller, both ways', () => {
    const paired = createSeededNormals(42);
    const single = createSeededNormals(42, { pairs: false });
    const u = mulberry32(42);
    const [u1, u2, u3, u4] = [u(), u(), u(), u()];
    const r = Math.sqrt(-2 * Math.log(u1!));
    expect([paired.normal(), paired.normal(), paired.uniform()]).toEqual([
      r * Math.cos(2 * Math.PI * u2!),
      r * Math.sin(2 * Math.PI * u2!),
      u3,
    ]);
    expect([single.normal(), single.uniform(), single.uniform()]).toEqual([
      Math.sqrt(-2 * Math.log(1 - u1!)) * Math.cos(2 * Math.PI * u2!),
      u3,
      u4,
    ]);
  });

  it.each([true, false])('has the moments of N(0, 1) (pairs: %s)', (pairs) => {
    const rng = createSeededNormals(11, { pairs });
    const n = 100_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSquares += z * z;
    }
    // Five standard errors of each estimate.
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
