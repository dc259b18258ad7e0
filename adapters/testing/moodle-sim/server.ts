/**
 * The HTTP side: node:http on 127.0.0.1, PHP-style form decoding with max_input_vars, the worker pool,
 * latency and injected faults around the REST pipeline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, PHP_FATAL_PAGE, TRUNCATED_JSON } from './faults';
import { decodeForm, mergeGetAndPost, type PhpArray } from './form-decoding';
import { FUNCTIONS } from './functions/registry';
import { countItems } from './param-validation';
import { handleRestCall, type SimRuntime } from './pipeline';
import { HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, type EncodedResponse } from './response-encoding';
import type { SimFault, SimLatency } from './types';
import { WorkerPool } from './worker-pool';

export const REST_PATH = '/webservice/rest/server.php';

export interface AccessLogEntry {
  method: string;
  /** Path and query string exactly as sent; never the body. */
  url: string;
}

export interface ServerSettings {
  latency: SimLatency;
  maxInputVars: number;
}

export class SimHttpServer {
  readonly faults = new FaultQueue();
  readonly pool: WorkerPool;
  private readonly counts = new Map<string, number>();
  private readonly items = new Map<string, number>();
  /** The request lines, as a web server's access log keeps them: what a token in the URL would leak into. */
  private readonly requestLines: AccessLogEntry[] = [];
  /** The latency charged so far (ms), summed over requests: the work a real site would have done. */
  private serviceMs = 0;
  private readonly server: Server;

  constructor(
    private readonly runtime: SimRuntime,
    readonly settings: ServerSettings,
    maxConcurrent: number | undefined,
  ) {
    this.pool = new WorkerPool(maxConcurrent);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the simulator: answer like a PHP fatal error rather than leave the client hanging.
        if (!res.headersSent && !res.destroyed)
          this.write(res, { status: 500, contentType: HTML_CONTENT_TYPE, body: String(error) });
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Hung requests hold their sockets open; end them so close() returns.
    this.server.closeAllConnections();
    await closed;
  }

  requestCount(fn?: string): number {
    if (fn !== undefined) return this.counts.get(fn) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  itemCount(fn?: string): number {
    if (fn !== undefined) return this.items.get(fn) ?? 0;
    let total = 0;
    for (const n of this.items.values()) total += n;
    return total;
  }

  serviceTime(): number {
    return this.serviceMs;
  }

  accessLog(): readonly AccessLogEntry[] {
    return [...this.requestLines];
  }

  resetCounters(): void {
    this.counts.clear();
    this.items.clear();
    this.requestLines.length = 0;
    this.serviceMs = 0;
    this.pool.resetPeak();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const leave = this.pool.arrive();
    res.on('close', leave);
    this.requestLines.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
    const body = await readBody(req);
    const [path = '', query = ''] = (req.url ?? '/').split(/\?(.*)/s);
    if (path !== REST_PATH) {
      this.write(res, { status: 404, contentType: HTML_CONTENT_TYPE, body: '<h1>Not Found</h1>' });
      return;
    }
    const vars = this.decode(query, req, body);
    const wsfunction = vars.get('wsfunction');
    const functionName = typeof wsfunction === 'string' ? wsfunction : '';
    this.counts.set(functionName, (this.counts.get(functionName) ?? 0) + 1);

    const release = await this.pool.acquire();
    res.on('close', release);
    // The client may have given up while the request waited for a worker.
    if (res.destroyed || req.socket.destroyed) {
      release();
      return;
    }
    const fault = this.faults.take(functionName);
    if (fault && fault.kind !== 'reset-after-apply') {
      this.applyFault(fault, req, res);
      return;
    }
    const definition = FUNCTIONS.get(functionName);
    const items = definition?.mainArray ? countItems(vars.get(definition.mainArray)) : 0;
    const { perRequestMs, perItemMs, perWriteItemMs = 0 } = this.settings.latency;
    const isWrite = definition !== undefined && definition.transaction !== 'read';
    const delay = perRequestMs + perItemMs * items + (isWrite ? perWriteItemMs * items : 0);
    this.serviceMs += delay;
    this.items.set(functionName, (this.items.get(functionName) ?? 0) + items);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (res.destroyed) return;
    const response = handleRestCall(this.runtime, vars);
    if (fault?.kind === 'reset-after-apply') {
      // The function ran and committed; the client never learns the outcome (an ambiguous write).
      req.socket.destroy();
      return;
    }
    this.write(res, response);
  }

  /** $_GET and $_POST, each cut at max_input_vars, merged as array_merge($_GET, $_POST). */
  private decode(query: string, req: IncomingMessage, body: string): PhpArray {
    const get = decodeForm(query, this.settings.maxInputVars, 'get').vars;
    const isForm = (req.headers['content-type'] ?? 'application/x-www-form-urlencoded').includes(
      'application/x-www-form-urlencoded',
    );
    const post =
      req.method === 'POST' && isForm ? decodeForm(body, this.settings.maxInputVars, 'post').vars : new Map();
    return mergeGetAndPost(get, post);
  }

  private applyFault(
    fault: Exclude<SimFault, { kind: 'reset-after-apply' }>,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    switch (fault.kind) {
      case 'http-status':
        this.write(res, { status: fault.status, contentType: HTML_CONTENT_TYPE, body: fault.body ?? '' });
        return;
      case 'html':
        this.write(res, { status: 200, contentType: HTML_CONTENT_TYPE, body: PHP_FATAL_PAGE });
        return;
      case 'invalid-json':
        this.write(res, { status: 200, contentType: JSON_CONTENT_TYPE, body: TRUNCATED_JSON });
        return;
      case 'hang':
        // Never answer: the worker stays busy until the client or close() ends the connection.
        return;
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  private write(res: ServerResponse, response: EncodedResponse): void {
    const body = Buffer.from(response.body, 'utf8');
    res.writeHead(response.status, { 'Content-Type': response.contentType, 'Content-Length': body.length });
    res.end(body);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    req.on('error', () => resolve(''));
    req.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}
