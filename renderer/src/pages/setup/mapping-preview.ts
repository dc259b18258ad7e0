import { foldDiacritics, parseTemplate, personTemplateValues, renderTemplate } from '../../../../electron/core/model';
import type { MappingDraft } from './draft';

/**
 * The mapping step's live preview: what the rules make of three example people, computed here as the
 * engine's planner does (electron/core/sync/plan/people.ts and usernames.ts, which the renderer may not
 * import). The Api has no call that returns SMS records, so the examples are made up to show the cases
 * that matter; the dry run after saving shows the school's real first records.
 */
export interface ExamplePerson {
  smsId: string;
  givenName: string;
  familyName: string;
  role: 'student' | 'teacher';
  username: string;
  email: string;
}

export const EXAMPLE_PEOPLE: readonly ExamplePerson[] = [
  {
    smsId: '20417',
    givenName: 'Aroha',
    familyName: 'Ngata',
    role: 'student',
    username: 'aroha.ngata',
    email: 'aroha.ngata@school.nz',
  },
  {
    smsId: '20533',
    givenName: 'Liam',
    familyName: 'O’Brien',
    role: 'student',
    username: 'liam.o’brien',
    email: 'liam.obrien@school.nz',
  },
  { smsId: 'T042', givenName: 'Mere', familyName: 'Tane', role: 'teacher', username: '', email: 'm.tane@school.nz' },
];

export interface PreviewRow {
  person: ExamplePerson;
  username?: string;
  email: string;
  idnumber: string;
  role: string;
  problem?: string;
}

const ALLOWED = /^[a-z0-9_\-@.]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const SOURCE_NAMES = { 'sms-username': 'username', email: 'email address', 'sms-id': 'id' } as const;

/**
 * A name template's result for one example person (as sync/plan/templates.ts makes it: folded and
 * lower-cased, `{n}` empty as for the first holder of a name), undefined without a template, or why not.
 */
function templated(source: string, person: ExamplePerson): { value?: string; problem?: string } | undefined {
  if (source.trim() === '') return undefined;
  const parsed = parseTemplate(source.trim(), 'person');
  if (!parsed.ok) return { problem: parsed.error };
  const r = renderTemplate(
    parsed.template,
    personTemplateValues({ ...person, role: person.role === 'teacher' ? 'staff' : 'student' }),
  );
  if (!r.ok) return { problem: `No ${r.missing} in the SMS: not synced until one is entered, or change the template.` };
  return { value: foldDiacritics(`${r.before}${r.after}`).toLowerCase() };
}

export function previewPerson(person: ExamplePerson, mapping: MappingDraft): PreviewRow {
  const role = (person.role === 'student' ? mapping.studentRole : mapping.teacherRole).trim() || '—';
  const emailTemplate = templated(mapping.emailTemplate, person);
  const usernameTemplate = templated(mapping.usernameTemplate, person);
  const email = emailTemplate
    ? (emailTemplate.value ?? '')
    : mapping.emailFrom === 'sms-email'
      ? person.email.trim()
      : '';
  const base = { person, email, idnumber: person.smsId, role };
  if (usernameTemplate?.problem) return { ...base, problem: usernameTemplate.problem };
  if (emailTemplate?.problem) return { ...base, problem: emailTemplate.problem };
  const source =
    usernameTemplate?.value ??
    (mapping.usernameFrom === 'sms-username'
      ? person.username
      : mapping.usernameFrom === 'email'
        ? person.email
        : person.smsId);
  const username = source.trim().toLowerCase();
  if (username === '') {
    return {
      ...base,
      problem: `No ${SOURCE_NAMES[mapping.usernameFrom]} in the SMS: not synced until one is entered, or choose another username source.`,
    };
  }
  if (username.length > 100) return { ...base, problem: 'The username is longer than 100 characters.' };
  if (!ALLOWED.test(username)) {
    const bad = [...new Set(username.match(/[^a-z0-9_\-@.]/g) ?? [])].map((c) => (c === ' ' ? 'space' : `“${c}”`));
    return {
      ...base,
      username,
      problem: `“${username}” contains ${bad.join(', ')}, which an LMS username may not: not synced until the SMS is corrected.`,
    };
  }
  if (email !== '' && !EMAIL.test(email))
    return { ...base, username, problem: `The email address “${email}” is not valid.` };
  return { ...base, username };
}
