import { describe, expect, it } from 'vitest';
import { formatLogLine } from './logging.js';

describe('formatLogLine', () => {
  it('prints time, level, message and the extra fields', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 5, 10, 2, 3),
      pid: 1,
      hostname: 'h',
      reqId: 'r',
      msg: 'slow request',
      status: 413,
      code: 'body_too_large',
    });
    expect(formatLogLine(line)).toBe('10:02:03 WARN  slow request status=413 code=body_too_large\n');
  });

  it('prints an error with its stack and passes through what is not JSON', () => {
    const line = JSON.stringify({
      level: 50,
      time: 0,
      msg: 'request failed',
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(formatLogLine(line)).toBe('00:00:00 ERROR request failed\nError: boom\n    at x\n');
    expect(formatLogLine('not json')).toBe('not json');
  });
});
