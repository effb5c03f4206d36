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

/** The start of a key, safe to show in listings and logs. */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

/** What each scope may do: admin everything, write ingest only, read only reads. */
export function scopeAllows(granted: ApiKeyScope, required: ApiKeyScope): boolean {
  return granted === 'admin' || granted === required;
}
