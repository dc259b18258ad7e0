import type { AppliedLinks } from './applied-state';
import type { CoursePlaceholder, GroupPlaceholder, PersonPlaceholder } from './operations';

export type Placeholder = PersonPlaceholder | CoursePlaceholder | GroupPlaceholder;

/** A planned record with every placeholder replaced by its LMS id: the adapter's own record type. */
export type Resolved<T> = { [K in keyof T]: Exclude<T[K], Placeholder> };

export type Resolution<T> = { ok: true; record: Resolved<T> } | { ok: false; missing: Placeholder[] };

/** SMS id → LMS id, from the links plus whatever the current apply has learnt so far. */
export interface IdLookup {
  person(smsId: string): number | undefined;
  course(smsId: string): number | undefined;
  group(smsId: string): number | undefined;
}

/** A lookup over the applied state's links (pass the apply's own maps first, so fresh ids win). */
export function lookupFromLinks(
  links: AppliedLinks,
  learnt: Partial<Record<keyof AppliedLinks, Map<string, number>>> = {},
): IdLookup {
  return {
    person: (id) => learnt.people?.get(id) ?? links.people[id],
    course: (id) => learnt.courses?.get(id) ?? links.courses[id],
    group: (id) => learnt.groups?.get(id) ?? links.groups[id],
  };
}

function placeholderId(value: unknown, lookup: IdLookup): number | undefined | null {
  if (typeof value !== 'object' || value === null) return null; // not a placeholder
  if ('smsPersonId' in value && typeof value.smsPersonId === 'string') return lookup.person(value.smsPersonId);
  if ('smsCourseId' in value && typeof value.smsCourseId === 'string') return lookup.course(value.smsCourseId);
  if ('smsGroupId' in value && typeof value.smsGroupId === 'string') return lookup.group(value.smsGroupId);
  return null;
}

/**
 * Turns a planned record (e.g. a PlannedEnrolment) into the adapter's record (an LmsEnrolment) by
 * replacing each placeholder with its LMS id; reports the placeholders it could not resolve (the
 * record that would create them failed, so this one must wait for the next run).
 */
export function resolveRecord<T extends object>(record: T, lookup: IdLookup): Resolution<T> {
  const out: Record<string, unknown> = {};
  const missing: Placeholder[] = [];
  for (const [field, value] of Object.entries(record)) {
    const id = placeholderId(value, lookup);
    if (id === null) out[field] = value;
    else if (id === undefined) missing.push(value as Placeholder);
    else out[field] = id;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, record: out as Resolved<T> };
}
