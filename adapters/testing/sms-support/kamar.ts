import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AdapterLogger, SmsImportError, SmsImportResult } from '../../contract';
import { startKamarReceiver, type KamarReceiver, type KamarReceiverOptions } from '../../sms/kamar/receiver';

/** Helpers for this folder's tests: a tiny HTTP client, a recording logger and a snapshot collector. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: { SMSDirectoryData?: Record<string, unknown> } & Record<string, unknown>;
}

export function basic(username: string, secret: string): string {
  return `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
}

export function post(
  url: string,
  body: string | Buffer,
  options: { authorization?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          ...(options.authorization ? { Authorization: options.authorization } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json: Reply['json'] = {};
          try {
            json = JSON.parse(text) as Reply['json'];
          } catch {
            // left empty: the test asserts on text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function answerOf(reply: Reply): { error: unknown; result: unknown } & Record<string, unknown> {
  const data = reply.json.SMSDirectoryData ?? {};
  return { error: data.error, result: data.result, ...data };
}

export interface LogLine {
  level: string;
  obj: object;
  msg?: string;
}

export function recordingLogger(): AdapterLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Discard {
  sync: string;
  reason: string;
  chunks: number;
  error?: SmsImportError;
}

export function snapshotCollector(): {
  results: SmsImportResult[];
  discards: Discard[];
  onSnapshot(result: SmsImportResult): void;
  onDiscard(info: Discard): void;
} {
  const results: SmsImportResult[] = [];
  const discards: Discard[] = [];
  return {
    results,
    discards,
    onSnapshot: (result) => results.push(result),
    onDiscard: (info) => discards.push(info),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `ready()` or the deadline, polling; returns whether it became ready. */
export async function waitFor(ready: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ready()) return true;
    await sleep(10);
  }
  return ready();
}

/**
 * A plain-HTTP receiver for user `kamar` that records what it logs, keeps and discards; `options`
 * override any of it (the caller closes `receiver`).
 */
export async function startRecordingReceiver(
  options: Partial<KamarReceiverOptions> & Pick<KamarReceiverOptions, 'secret'>,
): Promise<{
  receiver: KamarReceiver;
  url: string;
  collector: ReturnType<typeof snapshotCollector>;
  logger: ReturnType<typeof recordingLogger>;
}> {
  const collector = snapshotCollector();
  const logger = recordingLogger();
  const receiver = await startKamarReceiver({
    tls: { kind: 'none', allowInsecure: false },
    username: 'kamar',
    logger,
    onSnapshot: collector.onSnapshot,
    onDiscard: collector.onDiscard,
    ...options,
  });
  return { receiver, url: receiver.url, collector, logger };
}
