/** An answer of the API that was not 2xx, with the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** Reads the `{error, message, details}` body of a failed answer; any other body becomes a plain message. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {
      error?: unknown;
      error_code?: unknown;
      message?: unknown;
      details?: unknown;
    };
    if (typeof body.message === 'string') {
      // Vigil's API says `error`; MLflow's says `error_code`.
      const code = typeof body.error === 'string' ? body.error : body.error_code;
      return new ApiError(
        response.status,
        typeof code === 'string' ? code : 'error',
        body.message,
        body.details,
      );
    }
  } catch {
    // Not JSON: a proxy or an overloaded server; the status says enough.
  }
  const message =
    response.status === 429 || response.status === 503
      ? 'The server is busy; try again in a moment.'
      : `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.');
  return new ApiError(response.status, 'http_error', message);
}

/** A message fit to show a person, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The Vigil server cannot be reached. Is it running?';
  if (error instanceof Error) return error.message;
  return String(error);
}
