import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Basic auth as KAMAR sends it (ref A.1 [C]: receivers compare `Authorization` with
 * "Basic " + base64(user:pass)). Compared on SHA-256 digests with timingSafeEqual, so neither the
 * length nor the content of the secret leaks through timing.
 */
export type AuthOutcome = 'ok' | 'no-credentials' | 'wrong-credentials';

export class BasicAuth {
  private readonly userDigest: Buffer;
  private readonly secretDigest: Buffer;

  constructor(username: string, secret: string) {
    if (!username || !secret) throw new Error('KAMAR receiver needs a username and a secret');
    if (username.includes(':')) throw new Error('The KAMAR username cannot contain ":" (HTTP Basic auth)');
    this.userDigest = digest(username);
    this.secretDigest = digest(secret);
  }

  check(header: string | undefined): AuthOutcome {
    const match = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header ?? '');
    if (!match?.[1]) return 'no-credentials';
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'wrong-credentials';
    const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), this.userDigest);
    const secretOk = timingSafeEqual(digest(decoded.slice(colon + 1)), this.secretDigest);
    // Both comparisons always run: no early exit on a wrong username.
    return userOk && secretOk ? 'ok' : 'wrong-credentials';
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Counts failed logins per remote address in a sliding window; once an address reaches the limit
 * every request from it is refused until its oldest failure leaves the window.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  isBlocked(address: string): boolean {
    return this.recent(address).length >= this.maxFailures;
  }

  record(address: string): number {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.set(address, list);
    if (this.failures.size > 10_000) this.prune();
    return list.length;
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(address) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }

  /** Keeps the map bounded when many addresses fail (a scan of the LAN). */
  private prune(): void {
    for (const address of [...this.failures.keys()]) this.recent(address);
  }
}
