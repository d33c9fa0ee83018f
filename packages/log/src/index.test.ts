import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, MAX_ERROR_TEXT } from './index.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('createLogger', () => {
  // Issue #14: each failed store of a feed logged drizzle's whole query with its parameters (MB-long lines).
  it('logs a database error in a bounded line: no query parameters, long texts cut, the cause kept', () => {
    const { lines, logger } = capture();
    const huge = 'x'.repeat(1_000_000);
    const cause = Object.assign(new Error('index row requires 38240 bytes, maximum size is 8191'), { code: '54000' });
    const error = Object.assign(new Error(`Failed query: insert into articles values ($1)\nparams: ${huge}`), {
      query: `insert into articles select * from jsonb_to_recordset($1) -- ${huge}`,
      params: [huge, huge],
      cause,
    });
    logger.error({ err: error, feedId: 3 }, 'feed failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(6 * MAX_ERROR_TEXT + 4000);
    const line = JSON.parse(lines[0]!) as {
      err: Record<string, unknown> & { cause?: { message?: string; code?: string } };
      feedId: number;
    };
    expect(line.feedId).toBe(3);
    expect(line.err.params).toBeUndefined();
    expect(line.err.message).toMatch(/^Failed query: insert into articles values \(\$1\)\nparams: x+… \(1000055 characters\)$/);
    expect(line.err.query).toMatch(/… \(1000061 characters\)$/);
    expect(line.err.cause).toMatchObject({ message: 'index row requires 38240 bytes, maximum size is 8191', code: '54000' });
  });

  it('still redacts tokens', () => {
    const { lines, logger } = capture();
    logger.warn({ token: 'secret-token-value', nested: { authorization: 'Bearer x' } }, 'login');
    expect(lines[0]).not.toContain('secret-token-value');
    expect(lines[0]).not.toContain('Bearer x');
  });
});
