import type { IncomingMessage } from 'node:http';

export type BodyOutcome = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** A Content-Length over the limit is refused before a byte of the body is read. */
export function declaredTooLarge(req: IncomingMessage, maxBytes: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > maxBytes;
}

/**
 * Reads a request body up to `maxBytes`. Stops reading the moment the limit is passed (a chunked
 * body has no Content-Length to check first), and reports a client that hung up mid-body.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyOutcome> {
  if (declaredTooLarge(req, maxBytes)) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome);
    };
    const onData = (part: Buffer): void => {
      size += part.length;
      if (size > maxBytes) {
        req.pause();
        parts.length = 0;
        settle({ kind: 'too-large' });
        return;
      }
      parts.push(part);
    };
    req.on('data', onData);
    req.on('end', () => settle({ kind: 'ok', body: Buffer.concat(parts, size) }));
    req.on('aborted', () => settle({ kind: 'aborted' }));
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) settle({ kind: 'aborted' });
    });
  });
}
