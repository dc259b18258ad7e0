import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  silentLogger,
  type AdapterLogger,
  type SmsImportError,
  type SmsImportResult,
  type SmsSnapshot,
} from '../../contract';
import { BasicAuth, LoginThrottle } from './auth';
import { isoToday } from './chunk';
import { kamarDescription } from './description';
import { handleKamarMessage } from './kamar-route';
import { ANSWERS, DEFAULT_PRIVACY_STATEMENT, envelope, type KamarAnswer } from './responses';
import { RollState } from './roll';
import { PushAssembler, type RollSync } from './sessions';
import type { KamarSpool } from './spool';
import { readLanNames, shownHosts, urlHost, type LanNames } from './lan-address';
import { checkTransport, prepareTls, type ReceiverTls } from './tls';
import { UPLOAD_FORMATS, type UploadFormat } from './upload';
import { handleUpload } from './upload-route';

export interface KamarReceiverOptions {
  /** Default 127.0.0.1; 0.0.0.0 listens on every network (KAMAR on another computer). */
  host?: string;
  /** This machine's network names, shown for a receiver on 0.0.0.0 (tests give fixed ones). */
  lanNames?: LanNames;
  /** 0 = any free port. */
  port?: number;
  /** The path KAMAR posts to (its "Address" field). Default '/kamar'. */
  path?: string;
  tls: ReceiverTls;
  /** What the admin types into KAMAR's Username and Password (the "Get Secret" step). */
  username: string;
  secret: string;
  /** Per request, KAMAR message or upload. Default 50 MB. */
  maxBodyBytes?: number;
  /**
   * Failed logins with one credential from one address within authWindowMs before that address and
   * credential are refused. Default 10 per minute. Other credentials (the right secret) still get in.
   */
  maxAuthFailures?: number;
  /** Failed logins with any credentials from one address within authWindowMs before the address is refused. Default 100. */
  maxAddressAuthFailures?: number;
  authWindowMs?: number;
  /** Quiet time after the last chunk before a sync is complete. Default 60 s (README). */
  settleMs?: number;
  /** Keep form-time classes (subject "FT") as courses. Default false. */
  includeFormClasses?: boolean;
  /**
   * Ask KAMAR for students' caregivers and keep their name, email, relationship and link (caregivers.ts).
   * Only while some LMS connection's parents rule is on; default false (none is asked for or written).
   */
  caregivers?: boolean;
  infoUrl?: string;
  privacyStatement?: string;
  /** The last roll the app stored, so a `part` push after a restart updates it. */
  baseline?: SmsSnapshot;
  /** Where `POST /upload/<csv|oneroster>` stores files; uploads are off without it. */
  uploadDir?: string;
  logger?: AdapterLogger;
  /**
   * A completed sync. Return (or resolve to) `false` when it was not stored: the receiver then keeps
   * applying `part` pushes onto the roll that was, not onto the refused one.
   */
  onSnapshot?(result: SmsImportResult, info: { sync: RollSync; chunks: number }): unknown;
  /**
   * A sync that was dropped (a bad chunk, counts that do not add up, a part before any full roll,
   * the receiver stopping mid-push), with the reason and, for refused records, every problem. Every
   * push KAMAR sent ends in onSnapshot or here.
   */
  onDiscard?(info: { sync: RollSync; reason: string; chunks: number; error?: SmsImportError }): unknown;
  onUpload?(upload: { format: UploadFormat; path: string }): unknown;
  /**
   * Keeps every accepted chunk durably before KAMAR is answered "OK", and gives back on start the
   * runs a stopped receiver left (completed when their quiet period ends). Without it a stop inside
   * the quiet period loses the push.
   */
  spool?: KamarSpool;
}

export interface KamarReceiver {
  /** The address to type into KAMAR: the machine's LAN address when listening on every network, never 0.0.0.0. */
  url: string;
  /** Other addresses that reach the same receiver (the machine's name, its other networks). */
  otherUrls: string[];
  port: number;
  /** SHA-256 of the certificate (colon hex) for the admin to compare; absent on plain HTTP. */
  fingerprint?: string;
  /** The generated certificate and key, for the app to keep so the fingerprint survives a restart. */
  certificate?: { cert: string; key: string };
  /** E.g. plain HTTP allowed on the LAN. */
  warnings: string[];
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

export async function startKamarReceiver(options: KamarReceiverOptions): Promise<KamarReceiver> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/kamar';
  const logger = options.logger ?? silentLogger;
  const warnings = checkTransport(host, options.tls);
  for (const warning of warnings) logger.warn({ host }, warning);
  const auth = new BasicAuth(options.username, options.secret);
  const throttle = new LoginThrottle({
    perCredential: options.maxAuthFailures ?? 10,
    perAddress: options.maxAddressAuthFailures ?? 100,
    windowMs: options.authWindowMs ?? 60_000,
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const assembler = new PushAssembler({
    settleMs: options.settleMs ?? 60_000,
    chunk: {
      includeFormClasses: options.includeFormClasses ?? false,
      caregivers: options.caregivers === true,
      today: isoToday,
    },
    ...(options.baseline ? { baseline: RollState.fromSnapshot(options.baseline) } : {}),
    onComplete: (done) => {
      const result: SmsImportResult = {
        snapshot: done.roll.toSnapshot({ caregivers: options.caregivers === true }),
        warnings: done.warnings,
        description: kamarDescription(done.version),
      };
      logger.info({ sync: done.sync, chunks: done.chunks, people: done.roll.peopleCount }, 'KAMAR sync complete');
      // A callback that fails counts as not stored: the next part push then builds on the last stored roll.
      return guard(logger, () => options.onSnapshot?.(result, { sync: done.sync, chunks: done.chunks })).then(
        (stored) => stored !== false,
      );
    },
    onDiscard: (discarded) => {
      logger.warn({ sync: discarded.sync, reason: discarded.reason }, 'KAMAR sync dropped: no snapshot');
      return guard(logger, () => options.onDiscard?.(discarded));
    },
    ...(options.spool ? { spool: options.spool } : {}),
    onSpoolNote: (note) =>
      logger.info(
        { sync: note.sync, chunks: note.chunks, run: note.runId },
        note.event === 'resumed'
          ? 'KAMAR push kept from before a restart: picked up again'
          : 'KAMAR push kept for the next start: it completes after its quiet period then',
      ),
  });
  let closing = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const check = {
    infoUrl: options.infoUrl ?? 'https://classbridge.app/kamar',
    privacyStatement: options.privacyStatement ?? DEFAULT_PRIVACY_STATEMENT,
    caregivers: options.caregivers === true,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const remote = req.socket.remoteAddress ?? 'unknown';
    const route = routeOf(req.url ?? '/', path, options.uploadDir !== undefined);
    // KAMAR's own route answers HTTP 200 with the code in the body (ref A.5); uploads use HTTP codes.
    const reply = (answer: KamarAnswer, extra?: Record<string, unknown>, close = false): void =>
      send(res, route.kind === 'kamar' ? 200 : answer.error || 200, envelope(answer, extra), close);
    if (route.kind === 'none') return reply(ANSWERS.notFound, undefined, true);
    if (req.method !== 'POST') return reply(ANSWERS.methodNotAllowed, undefined, true);
    const header = req.headers.authorization;
    if (throttle.isBlocked(remote, header)) {
      logger.warn({ remoteAddress: remote }, 'KAMAR receiver: request refused, too many failed logins');
      return reply(ANSWERS.tooManyFailures, undefined, true);
    }
    const outcome = auth.check(header);
    if (outcome !== 'ok') {
      const failures = throttle.record(remote, header);
      // Never the header, username or secret: only where it came from and why it failed.
      logger.warn({ remoteAddress: remote, reason: outcome, failures }, 'KAMAR receiver: authentication failed');
      return reply(outcome === 'no-credentials' ? ANSWERS.noCredentials : ANSWERS.authFailed, undefined, true);
    }
    if (route.kind === 'upload') {
      const uploaded = await handleUpload(req, route.format, options.uploadDir ?? '', maxBodyBytes, logger);
      if (uploaded.path) {
        void guard(logger, () => options.onUpload?.({ format: route.format, path: uploaded.path ?? '' }));
      }
      return reply(uploaded.answer, uploaded.extra, uploaded.answer.error !== 0);
    }
    // Stopping: the chunk is not taken (KAMAR's retry sends it again once we are back).
    if (closing) return reply(ANSWERS.stopping, undefined, true);
    const answer = await handleKamarMessage(req, { assembler, maxBodyBytes, check, logger });
    send(res, 200, answer.body, answer.close ?? false);
  };

  const hosts = shownHosts(host, options.lanNames ?? readLanNames());
  const tls = await prepareTls(options.tls, host, hosts);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    handle(req, res)
      .catch((error: unknown) => {
        logger.error({ err: error }, 'KAMAR receiver: request failed');
        if (!res.headersSent) send(res, 500, envelope(ANSWERS.serverError), true);
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) drained?.();
      });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
    : createHttpServer(listener);
  // Before listening, so a chunk KAMAR retries after the restart joins the run it belongs to.
  assembler.resume();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    // Runs picked up from the spool stay there for the next start, not completed by a receiver that is not running.
    await assembler.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const urls = hosts.map((h) => `${tls ? 'https' : 'http'}://${urlHost(h)}:${port}${path}`);
  logger.info({ host, port, tls: options.tls.kind }, 'KAMAR receiver listening');
  return {
    url: urls[0] ?? '',
    otherUrls: urls.slice(1),
    port,
    ...(tls ? { fingerprint: tls.fingerprint } : {}),
    ...(tls && options.tls.kind === 'generated' ? { certificate: { cert: tls.cert, key: tls.key } } : {}),
    warnings,
    close: async () => {
      // New connections are refused and new requests on open ones answered "stopping" (both make
      // KAMAR send again later); those being read finish (their chunk is spooled and answered) for
      // up to 5 s, then the rest are cut off unanswered, which KAMAR also sends again.
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, 5000).unref();
        });
      }
      server.closeAllConnections();
      await closed;
      await assembler.close();
    },
  };
}

type Route = { kind: 'kamar' } | { kind: 'upload'; format: UploadFormat } | { kind: 'none' };

function routeOf(url: string, kamarPath: string, uploads: boolean): Route {
  const pathname = url.split('?')[0] ?? '';
  if (pathname === kamarPath) return { kind: 'kamar' };
  const upload = /^\/upload\/([a-z]+)$/.exec(pathname)?.[1];
  if (uploads && upload && (UPLOAD_FORMATS as readonly string[]).includes(upload)) {
    return { kind: 'upload', format: upload as UploadFormat };
  }
  return { kind: 'none' };
}

function send(res: ServerResponse, status: number, body: string, close: boolean): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/** Runs an app callback (sync or async) so that its failure is logged, never thrown into the server. */
function guard(logger: AdapterLogger, callback: () => unknown): Promise<unknown> {
  return new Promise<unknown>((resolve) => resolve(callback())).catch((error: unknown) => {
    logger.error({ err: error }, 'KAMAR receiver: a callback failed');
    return false;
  });
}
