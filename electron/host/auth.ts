import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'classbridge_token';

/** A fresh per-launch token: 32 random bytes, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: Authorization: Bearer, then `?token=`, then the cookie. */
export function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

export type Refusal = { status: 401 | 403; reason: string };

/**
 * Decides whether a request may be served. Host and Origin must name the loopback address we listen
 * on (a foreign Host is DNS rebinding; a foreign Origin is another site's page); then the token
 * must match. Host is checked first so a rebinding page learns nothing, not even "wrong token".
 */
export function refusal(req: IncomingMessage, url: URL, port: number, token: string): Refusal | undefined {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
    return { status: 403, reason: 'This address is not served here.' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
    return { status: 403, reason: 'Requests from other sites are refused.' };
  }
  const given = tokenOf(req, url);
  if (!given || !tokensMatch(given, token)) {
    return {
      status: 401,
      reason: 'Open ClassBridge with the address (including ?token=…) that `classbridge serve` printed.',
    };
  }
  return undefined;
}
