import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiResponse } from '../core/api/api-service';
import { refusal, TOKEN_COOKIE } from './auth';
import { resolveStatic, sendFile } from './static-files';

/** What the host relays to: the engine worker's client, or an in-process ApiService in tests. */
export interface ApiTransport {
  call(method: string, input: unknown): Promise<ApiResponse>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

export interface HttpHostOptions {
  api: ApiTransport;
  token: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks any free port. */
  port?: number;
}

export interface HttpHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

// The renderer's own CSP, repeated as a header so it also holds where the meta tag is not read.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const STATUS_OF_ERROR: Record<string, number> = {
  'invalid-input': 400,
  'unknown-method': 404,
  'not-found': 404,
  conflict: 409,
  'keychain-unavailable': 503,
  unavailable: 503,
  internal: 500,
};

/**
 * The headless host: the built renderer and the Api (JSON over POST, events over SSE) on 127.0.0.1
 * only, every request checked for Host/Origin and the per-launch token.
 */
export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = options.api.onEvent((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });
  let port = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Host error' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refused = refusal(req, url, port, options.token);
    if (refused) {
      res.writeHead(refused.status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end(`${refused.status === 401 ? 'Unauthorized' : 'Forbidden'}: ${refused.reason}\n`);
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST')
        return sendJson(res, 405, { ok: false, error: { code: 'invalid-input', message: 'Use POST' } });
      return relayCall(req, res, url.pathname.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    const file = resolveStatic(options.rendererDir, url.pathname) ?? resolveStatic(options.rendererDir, '/');
    if (!file) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('The ClassBridge window has not been built. Run `npm run build`.\n');
      return;
    }
    // The cookie lets the page's own assets and EventSource authenticate without the query string.
    const cookie = `${TOKEN_COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`;
    sendFile(res, file, { ...SECURITY_HEADERS, 'Set-Cookie': cookie });
  }

  async function relayCall(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      return sendJson(res, 413, { ok: false, error: { code: 'invalid-input', message: 'Request body too large' } });
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body);
      } catch {
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'invalid-input', message: 'The request body is not JSON' },
        });
      }
    }
    const response = await options.api.call(decodeURIComponent(method), input);
    sendJson(res, response.ok ? 200 : (STATUS_OF_ERROR[response.error.code] ?? 500), response);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      ...SECURITY_HEADERS,
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    res.on('close', () => sseClients.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    async close() {
      unsubscribe();
      for (const res of sseClients) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
