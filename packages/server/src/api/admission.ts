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

/**
 * The request data ingest requests hold at once, in bytes: each reserves its body's declared
 * length when its headers arrive, and its decompressed length once read. A request that would
 * take the total over `limit` is refused with a 503 (Retry-After), so concurrent ingestion never
 * holds more than `limit` bytes of bodies, however many requests arrive.
 */
export class IngestMemory {
  private held = 0;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.held;
  }

  /** Reserves `bytes` or throws a 503; the reservation grows with `grow` and ends with `release`. */
  reserve(bytes: number): { grow(total: number): void; release(): void } {
    this.take(bytes);
    let mine = bytes;
    let released = false;
    return {
      grow: (total) => {
        if (released || total <= mine) return;
        this.take(total - mine);
        mine = total;
      },
      release: () => {
        if (released) return;
        released = true;
        this.held -= mine;
      },
    };
  }

  private take(bytes: number): void {
    if (this.held + bytes > this.limit) {
      throw new OverloadedError(
        `Ingest requests in progress hold ${Math.ceil(this.held / 2 ** 20)} MiB of request data, and this one would take them over the server's ${Math.floor(this.limit / 2 ** 20)} MiB (VIGIL_MAX_INGEST_MB); retry shortly.`,
        1,
      );
    }
    this.held += bytes;
  }
}
