import pLimit, { type LimitFunction } from 'p-limit';
import pRetry from 'p-retry';
import { LmsError, silentLogger, type AdapterLogger, type LmsConnectionOptions } from '../../contract';
import { REQUESTS_IN_FLIGHT } from './batch-sizes';
import { errorFromException, isMoodleException, lmsError, redactToken } from './errors';
import { encodeForm, toFormBody, type FormValue } from './form-encoding';

export interface CallOptions {
  /**
   * Whether sending the same request twice is harmless (reads; enrol with full state; unenrol;
   * updates with absolute values). Non-idempotent calls (creates) are retried only when the
   * request provably never reached the LMS.
   */
  idempotent: boolean;
  /** Items in the call's main array, for the log. */
  items?: number;
}

export interface TransportSettings {
  url: string;
  token: string;
  logger: AdapterLogger;
  maxInFlight: number;
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
}

export function transportSettings(options: LmsConnectionOptions): TransportSettings {
  return {
    url: options.url,
    token: options.token,
    logger: options.logger ?? silentLogger,
    maxInFlight: options.maxInFlight ?? REQUESTS_IN_FLIGHT,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 4,
    backoffMs: options.backoffMs ?? 500,
  };
}

// Connection failures that happen before a request is written: the LMS cannot have acted on it.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * One Moodle REST call: a form-encoded POST. `wstoken` is the body's FIRST variable, never in the
 * URL: web servers and proxies log request URLs (the real site's access log held the token on 706
 * lines, reference §10), and Moodle reads `array_merge($_GET, $_POST)`, so the body works. First,
 * because PHP keeps the first max_input_vars body variables and drops the rest silently: a cut then
 * shortens the batch (which the batch runner notices) instead of losing the token. wsfunction and
 * moodlewsrestformat stay in the query string: not secret, and they make the server's log readable.
 * Bounded concurrency, timeouts, retries with backoff, and errors that never carry the token.
 */
export class MoodleTransport {
  private readonly limit: LimitFunction;
  private readonly endpoint: URL;

  constructor(private readonly settings: TransportSettings) {
    this.limit = pLimit(settings.maxInFlight);
    this.endpoint = new URL(
      'webservice/rest/server.php',
      settings.url.endsWith('/') ? settings.url : `${settings.url}/`,
    );
  }

  async call(fn: string, params: Record<string, FormValue>, options: CallOptions): Promise<unknown> {
    const body = toFormBody([['wstoken', this.settings.token], ...encodeForm(params)]);
    const { maxAttempts, backoffMs, logger } = this.settings;
    return pRetry(() => this.limit(() => this.send(fn, body, options)), {
      retries: Math.max(0, maxAttempts - 1),
      minTimeout: backoffMs,
      maxTimeout: 30_000,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof LmsError && mayRetry(error, options.idempotent),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        const kind = error instanceof LmsError ? error.kind : 'unexpected';
        logger.warn(
          { function: fn, attempt: attemptNumber, retriesLeft, kind, error: error.message },
          'LMS call failed',
        );
      },
    });
  }

  private async send(fn: string, body: string, options: CallOptions): Promise<unknown> {
    const url = new URL(this.endpoint);
    url.searchParams.set('wsfunction', fn);
    url.searchParams.set('moodlewsrestformat', 'json');
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      throw this.networkError(fn, err);
    }
    const ms = Math.round(performance.now() - started);
    this.settings.logger.debug({ function: fn, status: response.status, ms, items: options.items }, 'LMS call');
    if (response.status === 403) {
      throw lmsError('web-services-disabled', 'the LMS refused web-service access (HTTP 403)', fn);
    }
    if (response.status !== 200) {
      throw lmsError('server', `the LMS answered HTTP ${response.status}`, fn);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      const hint = /^\s*</.test(text) ? 'an HTML page' : 'something that is not JSON';
      throw lmsError('server', `the LMS answered with ${hint} instead of JSON`, fn);
    }
    if (isMoodleException(parsed)) {
      const error = errorFromException(parsed, fn);
      // Moodle rolls back every open transaction before it sends an exception, so nothing was
      // applied: a maintenance answer may be retried even for a create.
      if (error.kind === 'maintenance') throw withNotSent(error);
      throw new LmsError(error.kind, redactToken(error.message, this.settings.token), error.details);
    }
    return parsed;
  }

  private networkError(fn: string, err: unknown): LmsError {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return lmsError('timeout', `no answer within ${Math.round(this.settings.timeoutMs / 1000)} s`, fn);
    }
    const code = e.cause?.code ?? '';
    const detail = redactToken(e.cause?.message ?? e.message ?? String(err), this.settings.token);
    const error = lmsError('network', `could not reach ${this.endpoint.host}: ${detail}`, fn);
    return NOT_SENT_CODES.has(code) ? withNotSent(error) : error;
  }
}

function withNotSent(error: LmsError): LmsError {
  return new LmsError(error.kind, error.message, { ...error.details, retryable: true, notSent: true });
}

/** Reads and idempotent writes retry any transient failure; other writes only if never sent. */
function mayRetry(error: LmsError, idempotent: boolean): boolean {
  if (!error.retryable) return false;
  if (idempotent) return true;
  return error.details.notSent === true;
}
