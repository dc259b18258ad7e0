/**
 * Test-only helpers: a tiny REST caller that encodes PHP bracket notation, so the simulator's tests do not
 * depend on the Moodle client under construction.
 */
import type { MoodleSim } from './types';

export type FormValue = string | number | boolean | readonly FormValue[] | { readonly [key: string]: FormValue };

/** Flattens nested values into PHP bracket-notation pairs: users[0][username]=x. */
export function bracketPairs(params: Record<string, FormValue>, prefix = ''): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    const name = prefix === '' ? key : `${prefix}[${key}]`;
    if (Array.isArray(value)) {
      value.forEach((v: FormValue, i: number) => pairs.push(...bracketPairs({ [String(i)]: v }, name)));
    } else if (typeof value === 'object') {
      pairs.push(...bracketPairs(value as Record<string, FormValue>, name));
    } else {
      pairs.push([name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]);
    }
  }
  return pairs;
}

export const encodePairs = (pairs: readonly (readonly [string, string])[]): string =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

export async function post(
  sim: Pick<MoodleSim, 'url'>,
  body: string,
  query = '',
  signal?: AbortSignal,
): Promise<RawAnswer> {
  const res = await fetch(`${sim.url}/webservice/rest/server.php${query ? `?${query}` : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    signal,
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Calls a function the way the client is told to: ws* variables in the query string, arguments in the body. */
export async function callSim(
  sim: Pick<MoodleSim, 'url' | 'token'>,
  wsfunction: string,
  params: Record<string, FormValue> = {},
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<unknown> {
  const query = encodePairs([
    ['wstoken', options.token ?? sim.token],
    ['wsfunction', wsfunction],
    ['moodlewsrestformat', 'json'],
  ]);
  const answer = await post(sim, encodePairs(bracketPairs(params)), query, options.signal);
  return JSON.parse(answer.text) as unknown;
}
