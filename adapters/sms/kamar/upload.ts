import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { declaredTooLarge } from './body';

/**
 * Files dropped by NZ SMSs without a public interface (Assembly, eTAP, Musac Edge, PaCT: ref B.2,
 * nothing public), exported by the school as CSV or a OneRoster zip. This only receives and stores;
 * the CSV and OneRoster adapters parse them.
 */
export const UPLOAD_FORMATS = ['csv', 'oneroster'] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export type UploadOutcome =
  | { kind: 'stored'; path: string; bytes: number }
  | { kind: 'too-large' }
  | { kind: 'aborted' }
  | { kind: 'empty' }
  | { kind: 'not-zip' };

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Streams the body to a hidden temp file in `dir` (bounded memory), then renames it into place, so
 * a watcher or the next import never sees half a file. Anything that fails removes the temp file.
 */
export async function storeUpload(
  req: IncomingMessage,
  format: UploadFormat,
  dir: string,
  maxBytes: number,
): Promise<UploadOutcome> {
  if (declaredTooLarge(req, maxBytes)) return { kind: 'too-large' };
  const temp = join(dir, `.upload-${randomUUID()}.part`);
  const file = await open(temp, 'wx', 0o600);
  let outcome: CopyOutcome | { kind: 'not-zip' };
  try {
    outcome = await copyBody(req, maxBytes, (part) => file.write(part).then(() => undefined));
    if (outcome.kind === 'stored' && format === 'oneroster' && !outcome.head.subarray(0, 4).equals(ZIP_MAGIC)) {
      outcome = { kind: 'not-zip' };
    }
    if (outcome.kind === 'stored') await file.sync();
  } finally {
    await file.close();
  }
  if (outcome.kind !== 'stored') {
    await rm(temp, { force: true });
    return outcome;
  }
  const path = join(dir, finalName(format));
  await rename(temp, path);
  return { kind: 'stored', path, bytes: outcome.bytes };
}

type CopyOutcome = { kind: 'stored'; bytes: number; head: Buffer } | { kind: 'too-large' | 'aborted' | 'empty' };

/** Copies chunk by chunk with backpressure; stops reading as soon as the limit is passed. */
function copyBody(
  req: IncomingMessage,
  maxBytes: number,
  write: (part: Buffer) => Promise<void>,
): Promise<CopyOutcome> {
  return new Promise((resolve) => {
    let bytes = 0;
    let head = Buffer.alloc(0);
    let settled = false;
    let writing = Promise.resolve();
    const settle = (outcome: CopyOutcome): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome);
    };
    const onData = (part: Buffer): void => {
      bytes += part.length;
      if (bytes > maxBytes) {
        req.pause();
        settle({ kind: 'too-large' });
        return;
      }
      if (head.length < 4) head = Buffer.concat([head, part.subarray(0, 4)]);
      req.pause();
      writing = writing
        .then(() => write(part))
        .then(
          () => void req.resume(),
          () => settle({ kind: 'aborted' }),
        );
    };
    req.on('data', onData);
    req.on('end', () => {
      void writing.then(() => settle(bytes === 0 ? { kind: 'empty' } : { kind: 'stored', bytes, head }));
    });
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) void writing.then(() => settle({ kind: 'aborted' }));
    });
  });
}

function finalName(format: UploadFormat): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${format}-${stamp}-${randomUUID().slice(0, 8)}.${format === 'csv' ? 'csv' : 'zip'}`;
}
