/**
 * xxHash64 (Yann Collet's XXH64 specification) on 32-bit halves, so hashing needs neither BigInt
 * nor allocation. A 64-bit value is carried as (hi, lo) unsigned 32-bit integers; the helpers
 * below leave their result in the module registers `rHi` / `rLo`.
 */

let rHi = 0;
let rLo = 0;

const P1_HI = 0x9e3779b1;
const P1_LO = 0x85ebca87;
const P2_HI = 0xc2b2ae3d;
const P2_LO = 0x27d4eb4f;
const P3_HI = 0x165667b1;
const P3_LO = 0x9e3779f9;
const P4_HI = 0x85ebca77;
const P4_LO = 0xc2b2ae63;
const P5_HI = 0x27d4eb2f;
const P5_LO = 0x165667c5;

/** (a * b) mod 2^64. */
function mul(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  // High word of aLo * bLo, plus the cross terms that land in the high word.
  const high = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rHi = (high + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

/** (a + b) mod 2^64. */
function add(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const lo = aLo + bLo;
  rLo = lo >>> 0;
  rHi = (aHi + bHi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotate left by 0 < r < 32. */
function rotl(hi: number, lo: number, r: number): void {
  rHi = ((hi << r) | (lo >>> (32 - r))) >>> 0;
  rLo = ((lo << r) | (hi >>> (32 - r))) >>> 0;
}

function readU32(bytes: Uint8Array, i: number): number {
  return (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
}

/** acc = rotl(acc + lane * P2, 31) * P1 */
function round(accHi: number, accLo: number, laneHi: number, laneLo: number): void {
  mul(laneHi, laneLo, P2_HI, P2_LO);
  add(accHi, accLo, rHi, rLo);
  rotl(rHi, rLo, 31);
  mul(rHi, rLo, P1_HI, P1_LO);
}

/** h = (h ^ round(0, v)) * P1 + P4 */
function mergeRound(hHi: number, hLo: number, vHi: number, vLo: number): void {
  round(0, 0, vHi, vLo);
  mul((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0, P1_HI, P1_LO);
  add(rHi, rLo, P4_HI, P4_LO);
}

/** Hashes `bytes[0..length)`; the result is left in rHi / rLo. */
function xxh64(bytes: Uint8Array, length: number, seed: number): void {
  let i = 0;
  let hHi: number;
  let hLo: number;
  if (length >= 32) {
    add(0, seed, P1_HI, P1_LO);
    add(rHi, rLo, P2_HI, P2_LO);
    let v1Hi = rHi;
    let v1Lo = rLo;
    add(0, seed, P2_HI, P2_LO);
    let v2Hi = rHi;
    let v2Lo = rLo;
    let v3Hi = 0;
    let v3Lo = seed;
    // seed - P1 = seed + (2^64 - P1)
    add(0, seed, ~P1_HI >>> 0, ((~P1_LO >>> 0) + 1) >>> 0);
    let v4Hi = rHi;
    let v4Lo = rLo;
    for (const limit = length - 32; i <= limit; i += 32) {
      round(v1Hi, v1Lo, readU32(bytes, i + 4), readU32(bytes, i));
      v1Hi = rHi;
      v1Lo = rLo;
      round(v2Hi, v2Lo, readU32(bytes, i + 12), readU32(bytes, i + 8));
      v2Hi = rHi;
      v2Lo = rLo;
      round(v3Hi, v3Lo, readU32(bytes, i + 20), readU32(bytes, i + 16));
      v3Hi = rHi;
      v3Lo = rLo;
      round(v4Hi, v4Lo, readU32(bytes, i + 28), readU32(bytes, i + 24));
      v4Hi = rHi;
      v4Lo = rLo;
    }
    rotl(v1Hi, v1Lo, 1);
    hHi = rHi;
    hLo = rLo;
    rotl(v2Hi, v2Lo, 7);
    add(hHi, hLo, rHi, rLo);
    hHi = rHi;
    hLo = rLo;
    rotl(v3Hi, v3Lo, 12);
    add(hHi, hLo, rHi, rLo);
    hHi = rHi;
    hLo = rLo;
    rotl(v4Hi, v4Lo, 18);
    add(hHi, hLo, rHi, rLo);
    mergeRound(rHi, rLo, v1Hi, v1Lo);
    mergeRound(rHi, rLo, v2Hi, v2Lo);
    mergeRound(rHi, rLo, v3Hi, v3Lo);
    mergeRound(rHi, rLo, v4Hi, v4Lo);
  } else {
    add(0, seed, P5_HI, P5_LO);
  }
  // Lengths beyond 2^32 bytes do not occur here, so the high word of the length is 0.
  add(rHi, rLo, 0, length >>> 0);
  hHi = rHi;
  hLo = rLo;
  for (; i + 8 <= length; i += 8) {
    round(0, 0, readU32(bytes, i + 4), readU32(bytes, i));
    rotl((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0, 27);
    mul(rHi, rLo, P1_HI, P1_LO);
    add(rHi, rLo, P4_HI, P4_LO);
    hHi = rHi;
    hLo = rLo;
  }
  if (i + 4 <= length) {
    mul(0, readU32(bytes, i), P1_HI, P1_LO);
    rotl((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0, 23);
    mul(rHi, rLo, P2_HI, P2_LO);
    add(rHi, rLo, P3_HI, P3_LO);
    hHi = rHi;
    hLo = rLo;
    i += 4;
  }
  for (; i < length; i++) {
    mul(0, bytes[i]!, P5_HI, P5_LO);
    rotl((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0, 11);
    mul(rHi, rLo, P1_HI, P1_LO);
    hHi = rHi;
    hLo = rLo;
  }
  // Avalanche.
  hLo = (hLo ^ (hHi >>> 1)) >>> 0;
  mul(hHi, hLo, P2_HI, P2_LO);
  hHi = rHi;
  hLo = (rLo ^ ((rLo >>> 29) | (rHi << 3))) >>> 0;
  hHi = (hHi ^ (hHi >>> 29)) >>> 0;
  mul(hHi, hLo, P3_HI, P3_LO);
  rLo = (rLo ^ rHi) >>> 0;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);
const numberBytes = new Uint8Array(8);
const numberView = new DataView(numberBytes.buffer);

/** xxHash64 of a byte array as 16 lowercase hex digits. */
export function xxHash64Hex(bytes: Uint8Array, seed = 0): string {
  xxh64(bytes, bytes.length, seed >>> 0);
  return rHi.toString(16).padStart(8, '0') + rLo.toString(16).padStart(8, '0');
}

/**
 * 64-bit hash of a string (its UTF-8 bytes) or a number (its 8 little-endian IEEE-754 bytes,
 * with -0 folded into 0 and every NaN into one NaN), written to out[0] (high word) and out[1]
 * (low word).
 */
export function hash64Into(value: string | number, out: Uint32Array, seed = 0): void {
  if (typeof value === 'number') {
    numberView.setFloat64(0, value === 0 ? 0 : Number.isNaN(value) ? Number.NaN : value, true);
    xxh64(numberBytes, 8, seed >>> 0);
  } else {
    if (scratch.length < value.length * 3) scratch = new Uint8Array(value.length * 3);
    const { written } = encoder.encodeInto(value, scratch);
    xxh64(scratch, written, seed >>> 0);
  }
  out[0] = rHi;
  out[1] = rLo;
}
