import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../core/engine/engine';
import { createLogger } from '../core/logging/logger';
import { MemorySecretStore } from '../core/secrets';
import { useTempDirs } from '../test-support/temp';
import { startHttpHost, type HttpHost } from './http-host';

const tempDir = useTempDirs();
const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
let engine: Engine;
let host: HttpHost;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, so a test can send any Host and Origin header it likes. */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${host.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
const bearer = { Authorization: `Bearer ${TOKEN}` };
const call = (method: string, input: unknown, headers: Record<string, string> = bearer) =>
  send(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });

beforeEach(async () => {
  const dataDir = tempDir();
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ClassBridge</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dataDir, 'outside.txt'), 'private');
  engine = createEngine({
    dataDir,
    mode: 'one-shot',
    secrets: new MemorySecretStore(),
    logger: createLogger(join(dataDir, 'logs')),
  });
  const api = {
    call: (method: string, input: unknown) => engine.api.dispatch(method, input),
    onEvent: (listener: (event: string, payload: unknown) => void) => {
      engine.events.on('event', listener);
      return () => void engine.events.off('event', listener);
    },
  };
  host = await startHttpHost({ api, token: TOKEN, rendererDir, port: 0 });
});
afterEach(async () => {
  await host.close();
  await engine.close();
});

describe('who the host serves', () => {
  it('listens on 127.0.0.1 and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('refuses a request without a token with 401', async () => {
    expect((await send('/')).status).toBe(401);
    expect((await call('status:get', {}, {})).status).toBe(401);
  });

  it('refuses a wrong token with 401', async () => {
    expect((await send('/?token=wrong')).status).toBe(401);
    expect((await call('status:get', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call('status:get', {}, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
  });

  it('refuses a foreign Host header with 403, even with the right token (DNS rebinding)', async () => {
    const reply = await call('status:get', {}, { ...bearer, Host: `attacker.example:${host.port}` });
    expect(reply.status).toBe(403);
    expect((await send(`/?token=${TOKEN}`, { headers: { Host: `127.0.0.1:${host.port + 1}` } })).status).toBe(403);
  });

  it('refuses a foreign Origin with 403, even with the right token (cross-site)', async () => {
    expect((await call('status:get', {}, { ...bearer, Origin: 'https://attacker.example' })).status).toBe(403);
    expect((await call('status:get', {}, { ...bearer, Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('serves the page with the right token, sets the session cookie, and then serves assets by cookie', async () => {
    const page = await send(`/?token=${TOKEN}`, { headers: { Host: `localhost:${host.port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ClassBridge</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toBe(`classbridge_token=${TOKEN}`);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await send('/assets/app.js', { headers: { Cookie: cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/../../outside.txt']) {
      const reply = await send(path, { headers: bearer });
      expect(reply.body).not.toContain('private');
    }
  });
});

describe('the Api over HTTP', () => {
  it('answers a query with the real status', async () => {
    const reply = await call('status:get', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, result: { setUp: false, paused: false } });
  });

  it('answers a bad input with 400 and the field', async () => {
    const reply = await call('connections:save', { id: 'm', kind: 'lms', provider: 'moodle', name: 'M', url: 'nope' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'url' } });
  });

  it('answers an unknown method with 404, a body that is not JSON with 400, and GET with 405', async () => {
    expect((await call('nope:nothing', {})).status).toBe(404);
    const notJson = await send('/api/status:get', { method: 'POST', headers: bearer, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect((await send('/api/status:get', { headers: bearer })).status).toBe(405);
  });

  it('streams events to a subscriber over SSE', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/api/events?token=${TOKEN}`,
          headers: { Host: `127.0.0.1:${host.port}` },
        },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
            if (text.includes('event: status:changed')) {
              resolve(text);
              req.destroy();
            }
          });
          void call('sync:setPaused', { paused: true });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(await received).toContain('event: settings:changed\ndata: {}');
  });
});
