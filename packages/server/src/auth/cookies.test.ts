import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, readCookie, sessionCookie } from './cookies.js';

describe('the session cookie', () => {
  it('is read from a Cookie header among others', () => {
    expect(readCookie('a=1; vigil_session=tok-en_1; b=2', 'vigil_session')).toBe('tok-en_1');
    expect(readCookie('vigil_session_x=1; xvigil_session=2', 'vigil_session')).toBeUndefined();
    expect(readCookie('vigil_session=', 'vigil_session')).toBeUndefined();
    expect(readCookie(undefined, 'vigil_session')).toBeUndefined();
  });

  it('is written HttpOnly, SameSite=Strict, Path=/, Secure when asked, and cleared with Max-Age=0', () => {
    expect(sessionCookie('t', { maxAgeSeconds: 3600.5, secure: true })).toBe(
      'vigil_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure',
    );
    expect(clearedSessionCookie(false)).toBe('vigil_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
