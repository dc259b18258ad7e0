import { afterEach, describe, expect, it } from 'vitest';
import { startWebhook } from '../../test-support/alert-receivers';
import { ALERTS_SECRET_OWNER, AlertSettingsSchema } from '../model';
import { MemorySecretStore } from '../secrets';
import { AlertBodySchema } from './alert-body';
import { composeTransition } from './compose';
import { deliver } from './delivery';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './webhook';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const held = composeTransition(
  {
    kind: 'held',
    plans: [
      {
        id: 7,
        connectionId: 'moodle',
        lmsName: 'Moodle',
        part: 'upload',
        message: 'It would suspend 412 students (more than 10%).',
        createdAt: '2026-03-10T02:00:00.000Z',
      },
    ],
  },
  { raisedAt: new Date('2026-03-10T02:00:00Z') },
);

async function secretsWith(secret?: string) {
  const secrets = new MemorySecretStore();
  if (secret) await secrets.set(ALERTS_SECRET_OWNER, 'webhook-secret', secret);
  return secrets;
}

describe('webhook alerts (a real receiver on 127.0.0.1)', () => {
  it('POSTs the JSON body, signed over timestamp and body, and retries after a 500', async () => {
    const hook = await startWebhook([500]);
    closers.push(hook.close);
    const result = await deliver(
      {
        settings: AlertSettingsSchema.parse({ enabled: true, webhooks: { held: hook.url } }),
        secrets: await secretsWith('s3cret-from-keychain'),
        webhook: { minTimeoutMs: 10 },
      },
      [held],
    );
    expect(result[0]?.results).toEqual([
      {
        channel: 'webhook',
        target: 'http://127.0.0.1:' + new URL(hook.url).port + '/hooks/class…',
        kinds: ['held'],
        ok: true,
      },
    ]);
    expect(hook.hits).toHaveLength(2);
    const last = hook.hits[1];
    if (!last) throw new Error('no second hit');
    const headers = {
      signature: String(last.headers[SIGNATURE_HEADER]),
      timestamp: String(last.headers[TIMESTAMP_HEADER]),
    };
    expect(headers.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret-from-keychain', headers, last.body, new Date())).toBe(true);
    expect(verifySignature('another-secret', headers, last.body, new Date())).toBe(false);
    expect(verifySignature('s3cret-from-keychain', headers, last.body.replace('412', '413'), new Date())).toBe(false);
    // An old timestamp is a replay: refused even with the right signature.
    expect(verifySignature('s3cret-from-keychain', headers, last.body, new Date(Date.now() + 3_600_000))).toBe(false);
    const body = AlertBodySchema.parse(JSON.parse(last.body));
    expect(body).toMatchObject({ schema: 'classbridge.alert/1', kind: 'held', test: false });
    expect(body.kind === 'held' && body.details.plans[0]?.id).toBe(7);
    expect(last.headers['content-type']).toBe('application/json');
  });

  it('a 4xx is the receiver refusing the body: not retried, and the reason says so', async () => {
    const hook = await startWebhook([401]);
    closers.push(hook.close);
    const result = await deliver(
      {
        settings: AlertSettingsSchema.parse({ enabled: true, webhooks: { held: hook.url } }),
        secrets: await secretsWith('x'),
        webhook: { minTimeoutMs: 10 },
      },
      [held],
    );
    expect(hook.hits).toHaveLength(1);
    expect(result[0]?.results[0]).toMatchObject({
      ok: false,
      error: expect.stringMatching(/HTTP 401.*not retried/) as unknown,
    });
  });

  it('sends nothing unsigned: without a secret in the keychain the reason says how to store one', async () => {
    const hook = await startWebhook();
    closers.push(hook.close);
    const result = await deliver(
      {
        settings: AlertSettingsSchema.parse({ enabled: true, webhooks: { held: hook.url } }),
        secrets: await secretsWith(),
      },
      [held],
    );
    expect(hook.hits).toHaveLength(0);
    expect(result[0]?.results[0]?.error).toMatch(/No webhook signing secret is stored/);
  });

  it('a kind without a URL is not sent by webhook', async () => {
    const hook = await startWebhook();
    closers.push(hook.close);
    const result = await deliver(
      {
        settings: AlertSettingsSchema.parse({ enabled: true, webhooks: { problem: hook.url } }),
        secrets: await secretsWith('x'),
      },
      [held],
    );
    expect(result[0]?.results).toEqual([]);
    expect(hook.hits).toHaveLength(0);
  });
});
