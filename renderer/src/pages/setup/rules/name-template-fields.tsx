/**
 * The name templates (model/template.ts) for people and for courses, as the wizard's mapping step and
 * Settings → Provisioning rules edit them (validate.ts templateErrors checks them on these controls).
 */
import type { MappingDraft } from '../draft';
import { TextField } from '../fields';

interface Props {
  mapping: MappingDraft;
  set: (patch: Partial<MappingDraft>) => void;
  field: (name: string) => { id: string; error: string | undefined; onBlur: () => void };
}

export function PersonTemplateFields({ mapping: m, set, field }: Props) {
  return (
    <>
      <TextField
        {...field('username-template')}
        label="Username template (optional)"
        hint="Replaces the choice above, e.g. {first|alnum}.{last|alnum}{n}. Fields: first, last, smsId, username, email, role, or one the SMS gives (yearLevel, house, …); modifiers |lower |fold |alnum |initial |max:N; {n} is the next free number when a name is taken (kept once given). Results are folded (ā → a) and lower-cased."
        placeholder="{first}.{last}{n}"
        value={m.usernameTemplate}
        onChange={(usernameTemplate) => set({ usernameTemplate })}
      />
      <TextField
        {...field('email-template')}
        label="Email template (optional)"
        hint="Replaces the email choice above, e.g. {first}.{last}{n}@school.nz (the same {n} as the username)."
        placeholder="{first}.{last}{n}@school.nz"
        value={m.emailTemplate}
        onChange={(emailTemplate) => set({ emailTemplate })}
      />
    </>
  );
}

export function CourseTemplateFields({ mapping: m, set, field }: Props) {
  return (
    <>
      <TextField
        {...field('course-fullname-template')}
        label="Course full name template (optional)"
        hint="Empty: the SMS course name. Fields: code, name, smsId, startDate, endDate, year, term, subject; e.g. {name} {year}."
        placeholder="{name} {year}"
        value={m.courseFullnameTemplate}
        onChange={(courseFullnameTemplate) => set({ courseFullnameTemplate })}
      />
      <TextField
        {...field('course-shortname-template')}
        label="Course short name template (optional)"
        hint="Empty: the SMS course code. The ID number stays the code; e.g. {code}-{year}."
        placeholder="{code}-{year}"
        value={m.courseShortnameTemplate}
        onChange={(courseShortnameTemplate) => set({ courseShortnameTemplate })}
      />
    </>
  );
}
