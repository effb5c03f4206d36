/**
 * Small seeded generator (mulberry32) for the sketches' random choices. Its whole state is one
 * 32-bit integer, so it is serialised with the sketch and a restored sketch continues identically.
 */
export class SeededRandom {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A fair coin. */
  nextBit(): number {
    return this.nextUint32() >>> 31;
  }
}
