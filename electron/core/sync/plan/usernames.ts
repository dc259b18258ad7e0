/**
 * Moodle's username rule (PARAM_USERNAME with extended characters off, the default): lower-case
 * letters, digits and _ - @ . only, at most 100 characters. Moodle silently strips anything else,
 * which would merge "o'brien" and "obrien", so ClassBridge refuses instead and says how to fix it.
 */
const ALLOWED = /^[a-z0-9_\-@.]+$/;
const DISALLOWED_CHARS = /[^a-z0-9_\-@.]/g;
export const MAX_USERNAME_LENGTH = 100;

export type UsernameCheck =
  { ok: true; username: string } | { ok: false; username: string; problem: string; suggestion: string | undefined };

/** Lower-cases and trims a username, then checks it against Moodle's rule. */
export function checkUsername(raw: string): UsernameCheck {
  const username = raw.trim().toLowerCase();
  if (username === '') return { ok: false, username, problem: 'is empty', suggestion: undefined };
  if (username.length > MAX_USERNAME_LENGTH) {
    return {
      ok: false,
      username,
      problem: `is ${username.length} characters long (at most ${MAX_USERNAME_LENGTH})`,
      suggestion: username.slice(0, MAX_USERNAME_LENGTH),
    };
  }
  if (ALLOWED.test(username)) return { ok: true, username };
  const bad = [...new Set(username.match(DISALLOWED_CHARS) ?? [])].map((c) => (c === ' ' ? 'space' : `"${c}"`));
  const cleaned = username
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // é → e, so the suggestion stays readable
    .replace(DISALLOWED_CHARS, '');
  return {
    ok: false,
    username,
    problem: `contains ${bad.join(', ')}, which an LMS username may not`,
    suggestion: cleaned === '' ? undefined : cleaned,
  };
}
