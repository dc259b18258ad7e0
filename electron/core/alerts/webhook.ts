/**
 * Alerts by webhook: the alert body as JSON (alert-body.ts), signed with HMAC-SHA256 under the
 * secret from the keychain, POSTed and retried with backoff. The signature covers the timestamp and
 * the body (`<timestamp>.<body>`), so a receiver that refuses old timestamps refuses a replay too
 * (docs/alerts.md shows the check).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';
import type { AlertBody } from './alert-body';

export const SIGNATURE_HEADER = 'x-classbridge-signature';
export const TIMESTAMP_HEADER = 'x-classbridge-timestamp';

/** `sha256=<hex>` over `<timestamp>.<body>`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (exported for the tests and as the reference in docs/alerts.md). */
export function verifySignature(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const { signature: given, timestamp } = headers;
  if (!given || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface WebhookOptions {
  secret?: string;
  now?: () => Date;
  /** Retries after the first try (4: five tries over about half a minute). */
  retries?: number;
  minTimeoutMs?: number;
  timeoutMs?: number;
}

/**
 * POSTs the alert; resolves when the receiver answered 2xx. A 4xx other than 408/429 is not
 * retried (the receiver refused this body: retrying sends the same); a 5xx, a timeout or no
 * connection is retried. Throws the last failure in words.
 */
export async function postWebhook(url: string, body: AlertBody, options: WebhookOptions = {}): Promise<void> {
  const json = JSON.stringify(body);
  const now = options.now ?? (() => new Date());
  await pRetry(
    async () => {
      // A fresh timestamp per try: a retry minutes later is not refused as a replay.
      const timestamp = String(Math.floor(now().getTime() / 1000));
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'ClassBridge-Alerts/1',
            'x-classbridge-alert': body.kind,
            'x-classbridge-alert-id': body.id,
            [TIMESTAMP_HEADER]: timestamp,
            ...(options.secret ? { [SIGNATURE_HEADER]: signature(options.secret, timestamp, json) } : {}),
          },
          body: json,
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new Error(
          `Could not reach ${redactUrl(url)}: ${(err as Error).cause ? String((err as Error).cause) : (err as Error).message}`,
          { cause: err },
        );
      }
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      const failure = `${redactUrl(url)} answered HTTP ${response.status}`;
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
        throw new AbortError(`${failure}: the receiver refused the alert (not retried).`);
      throw new Error(failure);
    },
    { retries: options.retries ?? 4, minTimeout: options.minTimeoutMs ?? 1000, factor: 2, randomize: true },
  );
}

/** A webhook URL as logs and the Settings page show it: a token in the path or query is not shown. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 12 ? `${u.pathname.slice(0, 12)}…` : u.pathname;
    return `${u.protocol}//${u.host}${path}`;
  } catch {
    return 'the webhook';
  }
}
