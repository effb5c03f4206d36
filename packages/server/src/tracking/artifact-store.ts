/**
 * Where artifact bytes live: content-addressed blobs (SHA-256), so a file logged twice is
 * stored once; the store's `artifact_files` index maps each run's paths to digests. The
 * local filesystem under the data folder today; an S3-compatible store implements the same
 * interface later.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  digest: string;
  size: number;
}

export interface ArtifactBlobStore {
  /** Stores the stream's bytes (at most `maxBytes`) and answers their digest and size. */
  put(body: Readable, maxBytes: number): Promise<StoredBlob>;
  /** The blob's bytes, or null when it is missing. */
  open(digest: string): Promise<Readable | null>;
}

/** The upload was over the size limit; nothing was stored. */
export class ArtifactTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The artifact is over the size limit of ${maxBytes} bytes.`);
  }
}

const DIGEST = /^[0-9a-f]{64}$/;

export class LocalArtifactStore implements ArtifactBlobStore {
  constructor(private readonly root: string) {}

  private blobPath(digest: string): string {
    return join(this.root, 'blobs', digest.slice(0, 2), digest);
  }

  async put(body: Readable, maxBytes: number): Promise<StoredBlob> {
    const incoming = join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    const temporary = join(incoming, randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new ArtifactTooLargeError(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      // Flushed to disk before the upload is acknowledged (and indexed).
      await pipeline(body, meter, createWriteStream(temporary, { mode: 0o600, flush: true }));
      const digest = hash.digest('hex');
      const target = this.blobPath(digest);
      await mkdir(join(this.root, 'blobs', digest.slice(0, 2)), { recursive: true, mode: 0o700 });
      // Same digest, same bytes: an existing blob is kept and the new copy dropped.
      const exists = await stat(target).then(
        () => true,
        () => false,
      );
      if (exists) await rm(temporary, { force: true });
      else await rename(temporary, target);
      return { digest, size };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async open(digest: string): Promise<Readable | null> {
    if (!DIGEST.test(digest)) return null;
    const path = this.blobPath(digest);
    const exists = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    return exists ? createReadStream(path) : null;
  }
}
