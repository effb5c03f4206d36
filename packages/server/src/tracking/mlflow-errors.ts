/**
 * MLflow's error shape, `{error_code, message}`, with the codes and statuses its server
 * uses, so the official client raises its usual exceptions (`RestException` with
 * `INVALID_PARAMETER_VALUE`, `RESOURCE_DOES_NOT_EXIST`, `RESOURCE_ALREADY_EXISTS`).
 */
import { VigilError } from '../errors.js';

export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'ENDPOINT_NOT_FOUND'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'INTERNAL_ERROR';

const STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  ENDPOINT_NOT_FOUND: 404,
  REQUEST_LIMIT_EXCEEDED: 413,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export class MlflowError extends VigilError {
  constructor(
    readonly mlflowCode: MlflowErrorCode,
    message: string,
  ) {
    super(STATUS[mlflowCode], mlflowCode, message);
  }
}

export const invalidParameter = (message: string) => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const doesNotExist = (message: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new MlflowError('RESOURCE_ALREADY_EXISTS', message);

/** Vigil's own error codes (auth, body limits, store health) in MLflow's terms. */
const FROM_VIGIL: Record<string, MlflowErrorCode> = {
  unauthorized: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  csrf_token_invalid: 'PERMISSION_DENIED',
  not_found: 'RESOURCE_DOES_NOT_EXIST',
  conflict: 'RESOURCE_ALREADY_EXISTS',
  body_too_large: 'REQUEST_LIMIT_EXCEEDED',
  disk_full: 'TEMPORARILY_UNAVAILABLE',
  store_unavailable: 'TEMPORARILY_UNAVAILABLE',
  overloaded: 'TEMPORARILY_UNAVAILABLE',
  too_many_requests: 'REQUEST_LIMIT_EXCEEDED',
};

/** A code of Vigil's not named above, by its status: a 403 stays a permission error for the client. */
const BY_STATUS: Record<number, MlflowErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  500: 'INTERNAL_ERROR',
};

/** The MLflow answer for an error already turned into Vigil's `{error, message}` body. */
export function toMlflowBody(status: number, body: { error: string; message: string }) {
  const code: MlflowErrorCode =
    (body.error in STATUS ? (body.error as MlflowErrorCode) : FROM_VIGIL[body.error]) ??
    BY_STATUS[status] ??
    (status >= 500 ? 'TEMPORARILY_UNAVAILABLE' : 'INVALID_PARAMETER_VALUE');
  return { error_code: code, message: body.message };
}
