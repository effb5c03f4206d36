/**
 * The dashboard's one way to the server: the public /api/v1 routes, authenticated by the session
 * cookie. State-changing calls carry the session's CSRF token; a 401 sends the user to sign in.
 */
import { ApiError, errorFromResponse } from './errors';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: unknown;
  signal?: AbortSignal;
  /** Answer 401 by throwing instead of going to the sign-in page (the sign-in page itself). */
  allowUnauthenticated?: boolean;
  /** Where the path starts: Vigil's API (`/api/v1`, the default) or MLflow's (`/api/2.0/mlflow`). */
  root?: string;
}

const SIGN_IN_PATH = '/sign-in';

/** Builds `/api/v1/<path>?<query>`; array values repeat the parameter, empty values are left out. */
export function apiUrl(path: string, query?: RequestOptions['query'], root = '/api/v1'): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === '') continue;
      params.append(name, String(item));
    }
  }
  const search = params.toString();
  return `${root}${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}

/** Where the sign-in page sends the user back to: a path on this site only. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith(SIGN_IN_PATH)) return '/';
  return next;
}

export class ApiClient {
  private csrfToken: string | null = null;

  /** Called when the server says the session is gone (401); the app goes to the sign-in page. */
  onUnauthenticated: () => void = () => {
    const here = window.location.pathname + window.location.search;
    if (window.location.pathname !== SIGN_IN_PATH) {
      window.location.assign(`${SIGN_IN_PATH}?next=${encodeURIComponent(safeNextPath(here))}`);
    }
  };

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const headers = new Headers({ accept: 'application/json' });
    if (options.body !== undefined) headers.set('content-type', 'application/json');
    if (method !== 'GET' && this.csrfToken) headers.set('x-csrf-token', this.csrfToken);
    const response = await fetch(apiUrl(path, options.query, options.root), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status === 401 && !options.allowUnauthenticated) {
      this.csrfToken = null;
      this.onUnauthenticated();
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body: body ?? {} });
  }

  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  delete<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }
}

/** The app's client; one per page load. */
export const api = new ApiClient();

export { ApiError };
