import type { EnrolmentRoleTarget } from './options';

/**
 * How OneRoster roles (E.1: 1.1 users.role, 1.2 roles.role) become ClassBridge's two kinds of person.
 * Students are students; everyone who teaches or runs the school is staff; guardians, parents and relatives
 * are not LMS people here and are left out (with a warning). Roles are compared without regard to case.
 */
const PERSON_ROLES: Record<string, 'student' | 'staff' | null> = {
  student: 'student',
  teacher: 'staff',
  aide: 'staff',
  administrator: 'staff',
  proctor: 'staff',
  // 1.2 additions (E.1)
  siteadministrator: 'staff',
  districtadministrator: 'staff',
  systemadministrator: 'staff',
  principal: 'staff',
  counselor: 'staff',
  guardian: null,
  parent: null,
  relative: null,
};

/** 'student' | 'staff', null for a role that is deliberately not imported, undefined for one we do not know. */
export function personRole(oneRosterRole: string): 'student' | 'staff' | null | undefined {
  return PERSON_ROLES[oneRosterRole.toLowerCase()];
}

/**
 * Enrolment roles: student → student; teacher, aide and administrator → teacher (they run the class; the
 * connection decides which LMS role 'teacher' becomes); proctor, guardian, parent, relative → left out.
 */
const ENROLMENT_ROLES: Record<string, EnrolmentRoleTarget> = {
  student: 'student',
  teacher: 'teacher',
  aide: 'teacher',
  administrator: 'teacher',
  proctor: 'skip',
  guardian: 'skip',
  parent: 'skip',
  relative: 'skip',
};

export function enrolmentRoleMapper(
  overrides: Partial<Record<string, EnrolmentRoleTarget>> = {},
): (role: string) => EnrolmentRoleTarget | undefined {
  const table: Record<string, EnrolmentRoleTarget> = { ...ENROLMENT_ROLES };
  for (const [role, target] of Object.entries(overrides)) if (target) table[role.toLowerCase()] = target;
  return (role) => table[role.toLowerCase()];
}
