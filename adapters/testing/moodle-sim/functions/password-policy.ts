/**
 * Moodle's default password policy (check_password_policy): 8 characters, a digit, a lower and an upper
 * case letter and a special character. Each failure is a <div>, and the concatenation becomes the
 * errorcode itself (err_password_policy): a moodle_exception built from the message text.
 */
import { moodleException, type MoodleException } from '../errors';

export function passwordPolicyError(password: string): MoodleException | null {
  const problems: string[] = [];
  if (password.length < 8) problems.push('Passwords must be at least 8 characters long.');
  if (!/[0-9]/.test(password)) problems.push('Passwords must have at least 1 digit(s).');
  if (!/[a-z]/.test(password)) problems.push('Passwords must have at least 1 lower case letter(s).');
  if (!/[A-Z]/.test(password)) problems.push('Passwords must have at least 1 upper case letter(s).');
  if (!/[^a-zA-Z0-9]/.test(password))
    problems.push('The password must have at least 1 special character(s) such as *, -, or #.');
  if (problems.length === 0) return null;
  const errmsg = problems.map((p) => `<div>${p}</div>`).join('');
  // The code is not a language string, so the message is "module/code" with module "error".
  return moodleException(errmsg, `error/${errmsg}`);
}
