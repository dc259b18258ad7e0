import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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
 * Counts failed logins per key in a sliding window; once a key reaches the limit every request
 * with it is refused until its oldest failure leaves the window. At most `maxKeys` keys are kept
 * (a scan of the LAN, or one client sending endless different guesses, never grows memory): the key
 * whose last failure is oldest goes first. Each key keeps at most `maxFailures` timestamps.
 */
export class FailureLimiter {
  /** Ordered by last failure, oldest first (a key is moved to the end when it fails again). */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  get size(): number {
    return this.failures.size;
  }

  isBlocked(key: string): boolean {
    return this.recent(key).length >= this.maxFailures;
  }

  record(key: string): number {
    const list = this.recent(key);
    list.push(this.now());
    if (list.length > this.maxFailures) list.splice(0, list.length - this.maxFailures);
    this.failures.delete(key);
    this.failures.set(key, list);
    this.prune();
    return list.length;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Drops keys whose failures all left the window (they sit at the front), then the oldest over the cap. */
  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [key, list] of this.failures) {
      if ((list[list.length - 1] ?? 0) > cutoff) break;
      this.failures.delete(key);
    }
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }
}

export interface LoginThrottleOptions {
  /** Failures of one credential from one address per window before that pair is refused. */
  perCredential: number;
  /** Failures of any credential from one address per window before the whole address is refused. */
  perAddress: number;
  windowMs: number;
  now?: () => number;
}

/**
 * Rate limits failed logins per source address **and** credential tried, so wrong logins (a
 * colleague's typo, a second service still holding the old secret) never lock out the right secret:
 * the same wrong credential from one address is refused after `perCredential` failures, while the
 * right one, a different credential, still gets through. An address that keeps failing with many
 * different credentials (guessing) is refused entirely after `perAddress`, the right secret included,
 * until its failures leave the window.
 *
 * Credentials are keyed by an HMAC under a key made at start: the map never holds a tried password,
 * nor a plain hash of one that could be looked up.
 */
export class LoginThrottle {
  private readonly pairs: FailureLimiter;
  private readonly addresses: FailureLimiter;
  private readonly keySalt = randomBytes(32);

  constructor(options: LoginThrottleOptions) {
    this.pairs = new FailureLimiter(options.perCredential, options.windowMs, options.now);
    this.addresses = new FailureLimiter(options.perAddress, options.windowMs, options.now);
  }

  /** Whether a request from `address` with this Authorization header is refused before it is checked. */
  isBlocked(address: string, header: string | undefined): boolean {
    return this.addresses.isBlocked(address) || this.pairs.isBlocked(this.pairKey(address, header));
  }

  /** Records a failed login; returns the failures of this credential and of the address in the window. */
  record(address: string, header: string | undefined): { credential: number; address: number } {
    return { credential: this.pairs.record(this.pairKey(address, header)), address: this.addresses.record(address) };
  }

  /** For tests: how many keys each tier holds. */
  get sizes(): { pairs: number; addresses: number } {
    return { pairs: this.pairs.size, addresses: this.addresses.size };
  }

  private pairKey(address: string, header: string | undefined): string {
    const credential = createHmac('sha256', this.keySalt)
      .update((header ?? '').trim(), 'utf8')
      .digest('base64');
    return `${address} ${credential}`;
  }
}
