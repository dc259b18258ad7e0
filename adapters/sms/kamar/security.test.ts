import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { kamarCheckMessage, kamarFullPush } from '../../testing/sms-fixtures/kamar';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { FailureLimiter, LoginThrottle } from './auth';
import { startKamarReceiver, type KamarReceiver, type KamarReceiverOptions } from './receiver';
import { answerOf, basic, post, sleep, startRecordingReceiver, waitFor } from '../../testing/sms-support/kamar';
import { checkTransport, isLoopback, KamarReceiverConfigError, prepareTls } from './tls';

const school = generateSchool({ seed: 11 });
const SECRET = 'correct-horse-battery-staple';
const AUTH = basic('kamar', SECRET);
let receiver: KamarReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(extra: Partial<KamarReceiverOptions> = {}) {
  const started = await startRecordingReceiver({ secret: SECRET, settleMs: 80, ...extra });
  receiver = started.receiver;
  return started;
}

describe('authentication', () => {
  it('no credentials → 401 No Credentials Provided', async () => {
    const { url } = await start();
    expect(answerOf(await post(url, JSON.stringify(kamarCheckMessage(school))))).toMatchObject({
      error: 401,
      result: 'No Credentials Provided',
    });
  });

  it('wrong Basic credentials → refused, logged without the secret; one credential repeated is rate limited', async () => {
    const { url, logger } = await start({ maxAuthFailures: 3 });
    const body = JSON.stringify(kamarCheckMessage(school));
    for (const authorization of [
      basic('kamar', 'tried-Pa55word'),
      basic('other', SECRET),
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
    ]) {
      expect(answerOf(await post(url, body, { authorization }))).toMatchObject({
        error: 403,
        result: 'Authentication Failed',
      });
    }
    const wrong = basic('kamar', 'tried-Pa55word');
    for (let i = 0; i < 2; i++) expect(answerOf(await post(url, body, { authorization: wrong })).error).toBe(403);
    // The same wrong credential a 4th time is refused before it is even checked.
    expect(answerOf(await post(url, body, { authorization: wrong }))).toMatchObject({
      error: 429,
      result: 'Too Many Failed Attempts',
    });
    const logged = JSON.stringify(logger.lines);
    expect(logger.lines.filter((l) => l.msg?.includes('authentication failed'))).toHaveLength(5);
    expect(logger.lines.some((l) => l.msg?.includes('too many failed logins'))).toBe(true);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('tried-Pa55word');
    expect(logged).not.toContain(Buffer.from(`kamar:${SECRET}`).toString('base64'));
  });

  it('ten and more wrong logins do not lock out the right secret', async () => {
    const { url } = await start();
    const body = JSON.stringify(kamarCheckMessage(school));
    const wrong = basic('kamar', 'old-secret-still-in-a-second-service');
    const answers: unknown[] = [];
    for (let i = 0; i < 12; i++) answers.push(answerOf(await post(url, body, { authorization: wrong })).error);
    expect(answers).toEqual([...Array<number>(10).fill(403), 429, 429]);
    for (let i = 0; i < 3; i++) {
      expect(answerOf(await post(url, body, { authorization: basic('kamar', `typo-${i}`) })).error).toBe(403);
    }
    expect(answerOf(await post(url, body, { authorization: AUTH }))).toMatchObject({ error: 0, status: 'Ready' });
  });

  it('many wrong logins from one address are throttled, whatever credentials they try', async () => {
    const { url } = await start({ maxAddressAuthFailures: 20 });
    const body = JSON.stringify(kamarCheckMessage(school));
    for (let i = 0; i < 20; i++) {
      expect(answerOf(await post(url, body, { authorization: basic('kamar', `guess-${i}`) })).error).toBe(403);
    }
    // Guessing from this address is now refused outright, the right secret included, until the window passes.
    expect(answerOf(await post(url, body, { authorization: basic('kamar', 'guess-21') })).error).toBe(429);
    expect(answerOf(await post(url, body, { authorization: AUTH })).error).toBe(429);
  });

  it('the login throttle keeps a bounded map however many addresses and credentials fail', () => {
    const throttle = new LoginThrottle({ perCredential: 10, perAddress: 100, windowMs: 60_000, now: () => 1000 });
    for (let i = 0; i < 25_000; i++)
      throttle.record(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `Basic ${i}`);
    expect(throttle.sizes.pairs).toBeLessThanOrEqual(10_000);
    expect(throttle.sizes.addresses).toBeLessThanOrEqual(10_000);
    // The newest failures are the ones kept.
    throttle.record('192.168.1.9', 'Basic x');
    expect(throttle.sizes.addresses).toBeLessThanOrEqual(10_000);
    let now = 0;
    const limiter = new FailureLimiter(3, 1000, () => now, 5);
    for (let i = 0; i < 50; i++) limiter.record(`a${i}`);
    expect(limiter.size).toBe(5);
    for (let i = 0; i < 10; i++) limiter.record('busy');
    expect(limiter.isBlocked('busy')).toBe(true);
    now = 5000;
    limiter.record('later');
    expect(limiter.size).toBe(1); // every failure but the new one has left the window
  });

  it('refuses a username with a colon or an empty secret at start', async () => {
    await expect(start({ username: 'a:b' })).rejects.toThrow(/cannot contain/);
    await expect(start({ secret: '' })).rejects.toThrow(/secret/);
  });
});

describe('size limit', () => {
  it('body over the size limit refused (declared length), without reading it all', async () => {
    const { url, collector } = await start({ maxBodyBytes: 10_000 });
    const reply = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: { Authorization: AUTH, 'Content-Length': String(60 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (part: Buffer) => (text += part.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1000, 32)); // 1 KB of the announced 60 MB: the answer comes anyway
    });
    expect(JSON.parse(reply)).toMatchObject({ SMSDirectoryData: { error: 413, result: 'Request Too Large' } });
    await sleep(200);
    expect(collector.results).toHaveLength(0);
  });

  it('body over the size limit refused (chunked, no length) and spoils the push in progress', async () => {
    const [first] = kamarFullPush(school, { chunks: 2 });
    const limit = Buffer.byteLength(JSON.stringify(first)) + 100;
    const { url, collector } = await start({ maxBodyBytes: limit });
    expect(answerOf(await post(url, JSON.stringify(first), { authorization: AUTH })).error).toBe(0);
    const reply = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { Authorization: AUTH } }); // chunked
      req.on('response', (res) => {
        let text = '';
        res.on('data', (part: Buffer) => (text += part.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      for (let i = 0; i < Math.ceil(limit / 1000) + 5; i++) req.write(Buffer.alloc(1000, 32));
    });
    expect(JSON.parse(reply)).toMatchObject({ SMSDirectoryData: { error: 413 } });
    expect(await waitFor(() => collector.discards.length === 1)).toBe(true);
    expect(collector.results).toHaveLength(0);
  });
});

describe('transport', () => {
  it('HTTPS with a generated cert works (client pins the fingerprint)', async () => {
    const { url } = await start({ tls: { kind: 'generated' } });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/kamar$/);
    const fingerprint = receiver?.fingerprint ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(receiver?.certificate?.cert).toContain('BEGIN CERTIFICATE');
    const body = JSON.stringify(kamarCheckMessage(school));
    const { peer, text } = await new Promise<{ peer: string; text: string }>((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: 'POST',
          rejectUnauthorized: false,
          headers: {
            Authorization: AUTH,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const socket = res.socket as TLSSocket;
          const peerPrint = socket.getPeerCertificate().fingerprint256;
          let out = '';
          res.on('data', (part: Buffer) => (out += part.toString()));
          res.on('end', () => resolve({ peer: peerPrint, text: out }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(peer).toBe(fingerprint);
    expect(JSON.parse(text)).toMatchObject({ SMSDirectoryData: { error: 0, status: 'Ready' } });
  });

  it('a supplied certificate is used and its fingerprint reported', async () => {
    const material = await prepareTls({ kind: 'generated' }, '127.0.0.1');
    await start({ tls: { kind: 'supplied', cert: material?.cert ?? '', key: material?.key ?? '' } });
    expect(receiver?.fingerprint).toBe(material?.fingerprint);
    expect(receiver?.certificate).toBeUndefined();
    await expect(prepareTls({ kind: 'supplied', cert: 'not a cert', key: 'x' }, 'h')).rejects.toThrow(
      KamarReceiverConfigError,
    );
  });

  it('plain HTTP refused on a non-loopback host unless allowInsecure', async () => {
    expect(() => checkTransport('192.168.1.20', { kind: 'none', allowInsecure: false })).toThrow(
      KamarReceiverConfigError,
    );
    expect(() => checkTransport('0.0.0.0', { kind: 'none', allowInsecure: false })).toThrow(/unencrypted/);
    expect(checkTransport('192.168.1.20', { kind: 'none', allowInsecure: true })[0]).toMatch(/plain HTTP/);
    expect(checkTransport('127.0.0.1', { kind: 'none', allowInsecure: false })).toEqual([]);
    expect(checkTransport('::1', { kind: 'none', allowInsecure: false })).toEqual([]);
    expect(checkTransport('192.168.1.20', { kind: 'generated' })).toEqual([]);
    // startKamarReceiver refuses before binding anything.
    await expect(
      startKamarReceiver({ host: '10.0.0.5', tls: { kind: 'none', allowInsecure: false }, username: 'k', secret: 's' }),
    ).rejects.toThrow(KamarReceiverConfigError);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('127.10.0.1')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
  });
});
