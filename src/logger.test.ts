import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it("writes JSON lines with the service's name, and a request's id through its child logger", () => {
    const { logger, parsed } = capture();
    logger.child({ requestId: 'req-1' }).info({ answer: 42 }, 'inside');
    logger.info('outside');
    expect(parsed()).toEqual([
      expect.objectContaining({ msg: 'inside', requestId: 'req-1', answer: 42, service: 'matchcast' }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
  });

  it('redacts API keys, bearer tokens, cookies and connection params wherever a caller logs them', () => {
    const { logger, lines } = capture();
    const key = 'mc_SuperSecretKey_0123456789abcdef';
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.signature-part';
    logger.warn({ req: { headers: { 'x-api-key': key, authorization: `Bearer ${jwt}`, cookie: `s=${key}` } } }, 'h');
    logger.warn({ headers: { 'x-api-key': key, authorization: `Bearer ${jwt}` } }, 'bare headers');
    logger.warn({ connectionParams: { 'x-api-key': key } }, 'ws');
    logger.warn({ apiKey: key, token: jwt, jwt, password: 'pw-secret' }, 'fields');
    logger.warn({ config: { databaseUrl: 'postgres://u:pw-secret@db/x', redisUrl: 'redis://:pw-secret@r' } }, 'cfg');
    const written = lines.join('');
    for (const secret of [key, jwt, 'pw-secret']) expect(written).not.toContain(secret);
    expect(written).toContain('[redacted]');
  });

  it('removes passwords from URLs quoted in errors', () => {
    const { logger, parsed } = capture();
    const error = new Error('could not connect to postgres://matchcast:hunter2@db.internal:5432/matchcast');
    logger.error({ err: error }, 'failed');
    const [line] = parsed();
    const err = line!.err as { message: string; stack: string };
    expect(err.message).toBe('could not connect to postgres://matchcast:***@db.internal:5432/matchcast');
    expect(err.stack).not.toContain('hunter2');
  });
});
