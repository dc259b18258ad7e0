import { X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { kamarCheckMessage } from '../../testing/sms-fixtures/kamar';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { basic } from '../../testing/sms-support/kamar';
import { isWildcardHost, shownHosts } from './lan-address';
import { startKamarReceiver, type KamarReceiver } from './receiver';

// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): shown in addresses, never connected to.
const LAN = { hostname: 'office-pc', ipv4: ['192.0.2.10', '198.51.100.7'] };

describe('the address the admin types into KAMAR', () => {
  it('is the machine’s LAN address, then its name, for a receiver on every network; never 0.0.0.0', () => {
    expect(shownHosts('0.0.0.0', LAN)).toEqual(['192.0.2.10', '198.51.100.7', 'office-pc']);
    expect(shownHosts('::', LAN)).toEqual(['192.0.2.10', '198.51.100.7', 'office-pc']);
    expect(shownHosts('10.1.1.4', LAN)).toEqual(['10.1.1.4']);
    expect(shownHosts('0.0.0.0', { hostname: 'localhost', ipv4: [] })).toEqual(['127.0.0.1']);
    expect(isWildcardHost('[::]')).toBe(true);
    expect(isWildcardHost('127.0.0.1')).toBe(false);
  });
});

describe('a receiver listening on every network', () => {
  let receiver: KamarReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('shows the LAN address (and the name) with a certificate for them, and answers on loopback', async () => {
    receiver = await startKamarReceiver({
      host: '0.0.0.0',
      port: 0,
      tls: { kind: 'generated' },
      username: 'classbridge',
      secret: 's3cret',
      lanNames: LAN,
    });
    expect(receiver.url).toBe(`https://192.0.2.10:${receiver.port}/kamar`);
    expect(receiver.otherUrls).toEqual([
      `https://198.51.100.7:${receiver.port}/kamar`,
      `https://office-pc:${receiver.port}/kamar`,
    ]);
    const cert = new X509Certificate(receiver.certificate?.cert ?? '');
    expect(cert.subjectAltName).toContain('IP Address:192.0.2.10');
    expect(cert.subjectAltName).toContain('DNS:office-pc');
    expect(cert.subjectAltName).not.toContain('0.0.0.0');

    // Bound to every network, so this computer reaches it too (tests talk to loopback only).
    const body = JSON.stringify(kamarCheckMessage(generateSchool({ seed: 3 })));
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `https://127.0.0.1:${receiver?.port}/kamar`,
        {
          method: 'POST',
          rejectUnauthorized: false,
          headers: { Authorization: basic('classbridge', 's3cret'), 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
  });
});
