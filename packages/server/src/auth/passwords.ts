/**
 * Passwords are stored as argon2id hashes (memory-hard, so a stolen database is slow to
 * brute-force), with the OWASP-recommended minimum cost: 19 MiB, 2 passes, 1 lane. The
 * parameters live in each PHC string, so raising them later still verifies old hashes.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** `algorithm: 2` is `Algorithm.Argon2id` (a const enum, which this build cannot import). */
const COST = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (no such user) it verifies
 * against a throw-away hash anyway, so an unknown name costs as long as a wrong password
 * and answer times do not tell which names exist.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    // A damaged hash never matches.
    return false;
  }
}

/** A random password for a user the server creates: 144 bits, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
