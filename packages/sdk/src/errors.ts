/** Base of every error the SDK produces; `code` is stable and meant for programs. */
export class VigilError extends Error {
  override readonly name: string = 'VigilError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The server answered with a non-2xx status (after retries, when the status was retryable). */
export class VigilHttpError extends VigilError {
  override readonly name = 'VigilHttpError';
  readonly status: number;
  readonly details: unknown;
  /** Requests made before giving up, the first one included. */
  readonly attempts: number;

  constructor(status: number, code: string, message: string, details: unknown, attempts: number) {
    super(code, message);
    this.status = status;
    this.details = details;
    this.attempts = attempts;
  }

  /** Wrong or missing API key (401) or a key without the needed scope (403). */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** The server could not be reached (connection refused or reset, DNS failure, timeout) after retries. */
export class VigilNetworkError extends VigilError {
  override readonly name = 'VigilNetworkError';
  readonly attempts: number;

  constructor(message: string, attempts: number, cause: unknown) {
    super('network_error', message, { cause });
    this.attempts = attempts;
  }
}

export type IngestKind = 'predictions' | 'labels' | 'reference';

/** A batch queued by `VigilClient` failed for good; its records were not stored. */
export class VigilDeliveryError extends VigilError {
  override readonly name = 'VigilDeliveryError';
  readonly kind: IngestKind;
  readonly model: string;
  readonly records: number;

  constructor(kind: IngestKind, model: string, records: number, cause: VigilError) {
    super(
      cause.code,
      `${records} ${kind} record(s) for model '${model}' were not delivered: ${cause.message}`,
      {
        cause,
      },
    );
    this.kind = kind;
    this.model = model;
    this.records = records;
  }
}

/** Records were dropped because the client's queue was full (`maxQueue`). */
export class VigilQueueOverflowError extends VigilError {
  override readonly name = 'VigilQueueOverflowError';
  readonly dropped: number;

  constructor(dropped: number, maxQueue: number) {
    super('queue_full', `${dropped} record(s) dropped: the queue was full (maxQueue = ${maxQueue})`);
    this.dropped = dropped;
  }
}

/** A record could not be queued (it cannot be serialised, no model was named, the client is closed). */
export class VigilRecordError extends VigilError {
  override readonly name = 'VigilRecordError';
}
