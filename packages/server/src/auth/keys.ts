import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyScope } from '../storage/types.js';

const KEY_PREFIX = 'vk_';

/** A new random API key: 256 bits, URL-safe. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Keys are stored as SHA-256 digests. Generated keys carry 256 bits of entropy, so a
 * fast digest is enough: slow password hashes guard low-entropy secrets.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * What listings show of a key so people can tell keys apart. A key Vigil generated is
 * `vk_` + random, so its first characters reveal nothing; a key the user chose
 * (`VIGIL_ADMIN_KEY`) may be a guessable or reused secret, so it is shown only as a
 * fingerprint: the first 8 hex digits of its SHA-256.
 */
export function keyPrefix(key: string, generated: boolean): string {
  return generated ? key.slice(0, KEY_PREFIX.length + 6) : keyFingerprint(key);
}

/** `sha256:` and the first 8 hex digits of the key's digest. */
export function keyFingerprint(key: string): string {
  return `sha256:${hashApiKey(key).slice(0, 8)}`;
}

/**
 * What each scope may do: admin everything; write sends data, registers models and handles
 * alerts, and reads (as an editor does: a client that logs must be able to see the model it
 * logs to); read only reads.
 */
export function scopeAllows(granted: ApiKeyScope, required: ApiKeyScope): boolean {
  return granted === 'admin' || granted === required || (granted === 'write' && required === 'read');
}
