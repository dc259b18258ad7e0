import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { createLogger, redactText } from './logger';

const tempDir = useTempDirs();

describe('logging', () => {
  it('masks tokens inside URLs and headers', () => {
    expect(redactText('POST https://m.example.org/webservice/rest/server.php?wstoken=abc123&wsfunction=x')).toBe(
      'POST https://m.example.org/webservice/rest/server.php?wstoken=[redacted]&wsfunction=x',
    );
    expect(redactText('Authorization: Bearer eyJhbGciOi.x-y_z')).toBe('Authorization: Bearer [redacted]');
  });

  it('never writes a secret to the log file, whether in a field or in the message', () => {
    const dir = tempDir();
    const logger = createLogger(dir);
    logger.info(
      { token: 'tok-1', request: { password: 'pw-2', url: 'x' }, deep: { a: { secret: 'sec-3' } } },
      'calling https://h/?wstoken=tok-4',
    );
    const text = readFileSync(join(dir, 'classbridge.log'), 'utf8');
    expect(text).toContain('calling https://h/?wstoken=[redacted]');
    for (const secret of ['tok-1', 'pw-2', 'sec-3', 'tok-4']) expect(text).not.toContain(secret);
  });
});
