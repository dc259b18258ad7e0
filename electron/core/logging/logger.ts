import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names whose values are replaced before a line is written, wherever they appear. */
export const REDACTED_KEYS = ['token', 'wstoken', 'secret', 'password', 'value', 'authorization', 'cookie'];

/** Masks secrets that travel inside text, e.g. `wstoken=…` in a URL or `Bearer …` in a header. */
export function redactText(text: string): string {
  return text
    .replace(/([?&](?:wstoken|token)=)[^&\s#]+/gi, '$1[redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[redacted]');
}

/**
 * pino to `<dir>/classbridge.log` (JSON lines, written synchronously so a crash loses no line), secrets redacted by key at any depth up to two
 * levels, plus in messages. `dir` undefined logs to stderr (tests, CLI --verbose).
 */
export function createLogger(dir: string | undefined, name = 'classbridge'): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const options: pino.LoggerOptions = {
    name,
    level: process.env.CLASSBRIDGE_LOG_LEVEL ?? 'info',
    redact: { paths, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  if (!dir) return pino(options, pino.destination(2));
  mkdirSync(dir, { recursive: true });
  return pino(options, pino.destination({ dest: join(dir, 'classbridge.log'), mkdir: true, sync: true }));
}
