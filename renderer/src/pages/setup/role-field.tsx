import { useState } from 'react';
import type { ConnectionTestResult } from '../../../../electron/core/contract/contract';
import { SelectField, TextField } from './fields';

type FoundRole = NonNullable<ConnectionTestResult['roles']>[number];

/** Moodle's standard roles, by the names its admin pages show (shortname → name). */
export const STANDARD_ROLES: readonly { shortname: string; name: string }[] = [
  { shortname: 'student', name: 'Student' },
  { shortname: 'editingteacher', name: 'Teacher' },
  { shortname: 'teacher', name: 'Non-editing teacher' },
  { shortname: 'manager', name: 'Manager' },
];

const ANOTHER = '__another__';

const FOUND_FROM: Record<FoundRole['source'], string> = {
  configured: 'the number typed below',
  cached: 'found on an earlier run',
  learnt: 'learnt from course participants',
  verified: 'checked at an enrolment',
  default: 'Moodle’s usual number',
  unknown: 'not found',
};

/**
 * An LMS role chosen by name (Moodle's standard roles, plus any other the connection test found on the
 * site), or typed by its short name under "Another role". Its number is looked up by ClassBridge
 * (Moodle has no web service that lists roles: it learns them from course participants); the number box
 * is a fallback, folded away, for a site where nobody is enrolled yet and the roles are renumbered.
 */
export function RoleField({
  id,
  who,
  value,
  onChange,
  roleId,
  onRoleIdChange,
  field,
  found,
}: {
  /** The role field's id (errors land on it); the number box is `${id}-id`. */
  id: string;
  /** "Students", "Teachers". */
  who: string;
  value: string;
  onChange: (shortname: string) => void;
  roleId: string;
  onRoleIdChange: (id: string) => void;
  field: (name: 'role' | 'role-id') => { id: string; error: string | undefined; onBlur: () => void };
  /** What the last connection test found on the site, for every role it checked. */
  found: readonly FoundRole[];
}) {
  const names = new Map(STANDARD_ROLES.map((r) => [r.shortname, r.name]));
  for (const r of found) if (!names.has(r.shortname)) names.set(r.shortname, r.shortname);
  const [typing, setTyping] = useState(value !== '' && !names.has(value));
  const [showId, setShowId] = useState(roleId.trim() !== '');
  if (value !== '' && !names.has(value)) names.set(value, value);
  const here = found.find((r) => r.shortname === value.trim());

  return (
    <div className="role-field">
      {typing ? (
        <>
          <TextField
            {...field('role')}
            label={`${who} get the LMS role with the short name`}
            hint="As in Site administration › Users › Define roles, for example student."
            value={value}
            onChange={onChange}
          />
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setTyping(false);
              if (!names.has(value) || value === '') onChange(STANDARD_ROLES[0]!.shortname);
            }}
          >
            Choose from the list
          </button>
        </>
      ) : (
        <SelectField<string>
          {...field('role')}
          label={`${who} get the LMS role`}
          value={value}
          onChange={(choice) => {
            if (choice === ANOTHER) {
              setTyping(true);
              onChange('');
            } else onChange(choice);
          }}
          options={[
            ...[...names].map(([shortname, name]) => ({ value: shortname, label: name })),
            { value: ANOTHER, label: 'Another role (type its short name)' },
          ]}
        />
      )}
      <p className="setup-hint" id={`${id}-found`}>
        {here && here.id !== null && here.source === 'default'
          ? `Nobody has this role on the site yet: ClassBridge uses Moodle’s usual number, ${here.id}, and checks it at the first enrolment.`
          : here && here.id !== null
            ? `Found on the site: role number ${here.id}, ${FOUND_FROM[here.source]}.`
            : found.length > 0
              ? 'Not found on the site yet: ClassBridge looks for it again at the first enrolment.'
              : 'Test the connection on the LMS step to check it on the site.'}
      </p>
      <details open={showId} onToggle={(event) => setShowId(event.currentTarget.open)}>
        <summary>Only if ClassBridge cannot find the role: its number</summary>
        <TextField
          {...field('role-id')}
          label={`${who}’ role number (optional)`}
          inputMode="numeric"
          hint="Leave it empty: ClassBridge finds the number from people enrolled in courses, and on a new site with nobody enrolled yet it uses Moodle’s usual number and checks it at the first enrolment. Type it only if the site numbers its roles differently (Site administration › Users › Define roles: the number after roleid= in the role’s address)."
          value={roleId}
          onChange={onRoleIdChange}
        />
      </details>
    </div>
  );
}
