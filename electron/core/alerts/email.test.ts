import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type SmtpReceiver } from '../../test-support/alert-receivers';
import { ALERTS_SECRET_OWNER, AlertSettingsSchema, type AlertSettings } from '../model';
import { MemorySecretStore } from '../secrets';
import { composeTransition } from './compose';
import { deliver } from './delivery';

let smtp: SmtpReceiver | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const problem = composeTransition(
  {
    kind: 'problem',
    parts: [
      {
        key: 'moodle:upload',
        lmsId: 'moodle',
        lmsName: 'Moodle',
        part: 'upload',
        words: 'No successful run for 2 hours. The web-service token is no longer valid.',
        fix: 'Create a new token in Moodle and enter it in Settings → Connections.',
      },
    ],
  },
  { raisedAt: new Date('2026-03-10T02:00:00Z') },
);

function settings(email: Record<string, unknown>): AlertSettings {
  return AlertSettingsSchema.parse({ enabled: true, email });
}

describe('email alerts (a real SMTP server on 127.0.0.1)', () => {
  it('sends the problem with its diagnosis and fix to every recipient', async () => {
    smtp = await startSmtp();
    const result = await deliver(
      {
        settings: settings({
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          from: 'classbridge@school.example',
          to: ['it@school.example', 'principal@school.example'],
        }),
        secrets: new MemorySecretStore(),
      },
      [problem],
    );
    expect(result[0]?.results).toEqual([
      { channel: 'email', target: 'it@school.example, principal@school.example', kinds: ['problem'], ok: true },
    ]);
    const [mail] = smtp.mails;
    expect(mail?.subject).toBe('Upload to Moodle has a problem');
    expect(mail?.from?.text).toBe('classbridge@school.example');
    expect(smtp.envelopes[0]).toEqual(['it@school.example', 'principal@school.example']);
    expect(mail?.text).toContain('The web-service token is no longer valid.');
    expect(mail?.text).toContain('What to do: Create a new token in Moodle');
    expect(mail?.text).toContain('classbridge status');
    expect(mail?.headers.get('x-classbridge-alert')).toBe('problem');
  });

  it('STARTTLS: upgrades before logging in, with the password from the keychain', async () => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    smtp = await startSmtp({ key: pems.private, cert: pems.cert, authOptional: false });
    const secrets = new MemorySecretStore();
    await secrets.set(ALERTS_SECRET_OWNER, 'smtp-password', 'right-password');
    const result = await deliver(
      {
        settings: settings({
          host: '127.0.0.1',
          port: smtp.port,
          security: 'starttls',
          user: 'alerts@school.example',
          from: 'alerts@school.example',
          to: ['it@school.example'],
        }),
        secrets,
        emailCa: pems.cert,
      },
      [problem],
    );
    expect(result[0]?.results[0]).toMatchObject({ ok: true });
    expect(smtp.secured).toEqual([true]);
    expect(smtp.logins).toEqual(['alerts@school.example:right-password']);
    expect(smtp.mails[0]?.subject).toBe('Upload to Moodle has a problem');
  });

  it('STARTTLS required: a server that does not offer it gets nothing, and the reason says so', async () => {
    smtp = await startSmtp(); // STARTTLS disabled
    const result = await deliver(
      {
        settings: settings({
          host: 'localhost',
          port: smtp.port,
          security: 'starttls',
          from: 'alerts@school.example',
          to: ['it@school.example'],
        }),
        secrets: new MemorySecretStore(),
      },
      [problem],
    );
    expect(result[0]?.results[0]?.ok).toBe(false);
    expect(result[0]?.results[0]?.error).toMatch(/STARTTLS/);
    expect(smtp.mails).toEqual([]);
  });

  it('a wrong password is refused with what to check; a missing one is said before connecting', async () => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    smtp = await startSmtp({ key: pems.private, cert: pems.cert, authOptional: false });
    const secrets = new MemorySecretStore();
    const email = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      user: 'alerts@school.example',
      from: 'alerts@school.example',
      to: ['it@school.example'],
    };
    const missing = await deliver({ settings: settings(email), secrets, emailCa: pems.cert }, [problem]);
    expect(missing[0]?.results[0]?.error).toMatch(/No SMTP password is stored for alerts@school.example/);
    await secrets.set(ALERTS_SECRET_OWNER, 'smtp-password', 'wrong');
    const wrong = await deliver({ settings: settings(email), secrets, emailCa: pems.cert }, [problem]);
    expect(wrong[0]?.results[0]?.error).toMatch(
      /refused the login of alerts@school.example: check the user and the password/,
    );
  });

  it('retries a server that says "try again later" (451), and the mail goes once', async () => {
    let refused = 0;
    smtp = await startSmtp({
      onMailFrom(_address, _session, callback) {
        if (refused++ === 0)
          return callback(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
        callback();
      },
    });
    const result = await deliver(
      {
        settings: settings({
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          from: 'a@school.example',
          to: ['b@school.example'],
        }),
        secrets: new MemorySecretStore(),
        email: { minTimeoutMs: 5 },
      },
      [problem],
    );
    expect(result[0]?.results[0]?.ok).toBe(true);
    expect(refused).toBe(2);
    expect(smtp.mails).toHaveLength(1);
  });

  it('refuses mail in clear text to a server that is not on this computer', () => {
    const parsed = AlertSettingsSchema.safeParse({
      email: { host: 'smtp.school.example', port: 25, security: 'none', from: 'a@b.nz', to: ['c@d.nz'] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/only allowed to a server on this computer/);
  });
});
