import { describe, expect, it } from 'vitest';
import { checkUsername } from './usernames';

describe("checkUsername (Moodle's rule)", () => {
  it.each(['jsmith', 'j.smith', 'j_smith-2', 'jane@school.nz', '12345'])('accepts %s', (name) => {
    expect(checkUsername(name)).toEqual({ ok: true, username: name });
  });

  it('lower-cases and trims before checking', () => {
    expect(checkUsername(' JSmith ')).toEqual({ ok: true, username: 'jsmith' });
  });

  it.each([
    ["o'brien", `contains "'"`, 'obrien'],
    ['jane smith', 'contains space', 'janesmith'],
    ['josé', 'contains "é"', 'jose'],
    ['a+b@school.nz', 'contains "+"', 'ab@school.nz'],
  ])('refuses %s with a suggestion', (name, problem, suggestion) => {
    const check = checkUsername(name);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toContain(problem);
    expect(check.suggestion).toBe(suggestion);
  });

  it('refuses an empty or over-long username', () => {
    expect(checkUsername('  ')).toMatchObject({ ok: false, problem: 'is empty' });
    expect(checkUsername('a'.repeat(101))).toMatchObject({ ok: false, suggestion: 'a'.repeat(100) });
  });
});
