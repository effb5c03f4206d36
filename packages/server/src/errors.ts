/**
 * One error hierarchy: each error carries its HTTP status and a stable code;
 * one handler (see `app.ts`) turns them into `{error, message, details}`.
 */
export class VigilError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends VigilError {
  constructor(message: string, details?: unknown) {
    super(400, 'bad_request', message, details);
  }
}

export class UnauthorizedError extends VigilError {
  constructor(message = 'Missing or invalid API key. Send "Authorization: Bearer <key>".') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends VigilError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends VigilError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends VigilError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class UnsupportedMediaTypeError extends VigilError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/** The server is saturated; clients should retry after `retryAfterSeconds`. */
export class OverloadedError extends VigilError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, 'overloaded', message);
  }
}

/** This client has its share of the server; it should retry after `retryAfterSeconds`. */
export class TooManyRequestsError extends VigilError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}

/**
 * The store cannot write (out of disk space: 507) or is recovering from a fatal engine
 * error (503); nothing was stored, and the server recovers by itself. A read that cannot be
 * served while the store recovers is a 503 whatever the cause: 507 says a write was refused.
 */
export class StoreUnavailableError extends VigilError {
  readonly retryAfterSeconds = 10;
  constructor(reason: 'disk_full' | 'failed', task: 'read' | 'write' = 'write') {
    const full = reason === 'disk_full';
    super(
      full && task === 'write' ? 507 : 503,
      full && task === 'write' ? 'insufficient_storage' : 'store_unavailable',
      full
        ? task === 'write'
          ? 'The store is out of disk space; nothing was written. Free space in the data folder: the server resumes by itself. Retry later.'
          : 'The store ran out of disk space and cannot be read until it recovers. Free space in the data folder: the server resumes by itself. Retry later.'
        : 'The store stopped after a storage error and is recovering; nothing was written. Retry later.',
    );
  }
}
