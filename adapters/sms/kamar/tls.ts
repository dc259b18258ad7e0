import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * How the receiver is reached. KAMAR's service has a "Use SSL" box (ref A.1 [C]); with a
 * self-signed certificate the admin compares its SHA-256 fingerprint before trusting it.
 */
export type ReceiverTls =
  | { kind: 'generated' }
  | { kind: 'supplied'; cert: string; key: string }
  /** Plain HTTP: only on loopback, or on the LAN when the admin explicitly allows it. */
  | { kind: 'none'; allowInsecure: boolean };

export class KamarReceiverConfigError extends Error {
  override readonly name = 'KamarReceiverConfigError';
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

/**
 * Refuses plain HTTP off loopback unless allowed (student data would cross the LAN in clear), and
 * returns the warning to show when it is allowed. Checked before anything is bound.
 */
export function checkTransport(host: string, tls: ReceiverTls): string[] {
  if (tls.kind !== 'none' || isLoopback(host)) return [];
  if (!tls.allowInsecure) {
    throw new KamarReceiverConfigError(
      `Plain HTTP on ${host} would send student data across the network unencrypted: use a certificate ` +
        `(generated or supplied), listen on 127.0.0.1, or allow insecure HTTP explicitly`,
    );
  }
  return [`KAMAR receiver on ${host} uses plain HTTP: student data and the secret cross the network unencrypted`];
}

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate as colon-separated upper-case hex (what browsers and admins compare). */
  fingerprint: string;
}

/** `shown`: the names the admin is told to type (the LAN addresses of a receiver on 0.0.0.0), put in the certificate too. */
export async function prepareTls(
  tls: ReceiverTls,
  host: string,
  shown: readonly string[] = [],
): Promise<TlsMaterial | undefined> {
  if (tls.kind === 'none') return undefined;
  if (tls.kind === 'supplied') {
    return { cert: tls.cert, key: tls.key, fingerprint: sha256Fingerprint(tls.cert) };
  }
  // Loaded only when a certificate is generated: selfsigned is CommonJS and needs nothing otherwise.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'ClassBridge KAMAR receiver' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNamesFor([host, ...shown]) },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint: sha256Fingerprint(pems.cert) };
}

export function sha256Fingerprint(certPem: string): string {
  try {
    return new X509Certificate(certPem).fingerprint256;
  } catch (error) {
    throw new KamarReceiverConfigError(`The supplied certificate cannot be read: ${String(error)}`);
  }
}

function altNamesFor(hosts: readonly string[]): { type: 2 | 7; value?: string; ip?: string }[] {
  const names: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ];
  const seen = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::']);
  for (const host of hosts) {
    const bare = host.replace(/^\[|\]$/g, '');
    if (seen.has(bare)) continue;
    seen.add(bare);
    names.push(isIP(bare) ? { type: 7, ip: bare } : { type: 2, value: bare });
  }
  return names;
}
