/**
 * Admission of ingest requests: at most `total` in progress, and at most `perKey` for one
 * API key, so one client (or one stuck fleet sharing a key) cannot take every slot. Requests
 * are refused before their body is read, which costs neither memory nor a queue.
 */
import { OverloadedError, TooManyRequestsError } from '../errors.js';

export class IngestAdmission {
  private inProgress = 0;
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly total: number,
    private readonly perKey: number,
  ) {}

  get active(): number {
    return this.inProgress;
  }

  /** Takes a slot for a caller (`api-key:<id>`, `user:<name>`) or throws; the returned function frees it (once). */
  acquire(keyId: string): () => void {
    const mine = this.byKey.get(keyId) ?? 0;
    if (mine >= this.perKey) {
      throw new TooManyRequestsError(
        `This ${keyId.startsWith('user:') ? 'user' : 'API key'} has ${mine} ingest requests in progress, its share of the server; wait for one to finish.`,
        1,
      );
    }
    if (this.inProgress >= this.total) {
      throw new OverloadedError(
        `The server is handling ${this.inProgress} ingest requests, its limit; retry shortly.`,
        1,
      );
    }
    this.inProgress++;
    this.byKey.set(keyId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inProgress--;
      const left = (this.byKey.get(keyId) ?? 1) - 1;
      if (left === 0) this.byKey.delete(keyId);
      else this.byKey.set(keyId, left);
    };
  }
}
