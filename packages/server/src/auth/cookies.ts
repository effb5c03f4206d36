/** The session cookie: read from the `Cookie` header, written as `Set-Cookie`. */

export const SESSION_COOKIE = 'vigil_session';

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0 || part.slice(0, equals).trim() !== name) continue;
    const value = part.slice(equals + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds the browser keeps the cookie; 0 deletes it. */
  maxAgeSeconds: number;
  secure: boolean;
}

/**
 * `HttpOnly` keeps page scripts from reading the token; `SameSite=Strict` keeps browsers
 * from sending it with requests other sites start; `Secure` (over https) keeps it off
 * plain connections.
 */
export function sessionCookie(value: string, options: CookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { maxAgeSeconds: 0, secure });
}
