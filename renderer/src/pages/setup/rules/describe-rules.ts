import type { RulesDraft } from './rules-draft';

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The rules beyond names and sign-in that are on, in a few words each, for the wizard's review ('' when none). */
export function describeRules(r: RulesDraft): string {
  const parts: string[] = [];
  if (r.endedCourses === 'close') parts.push('ended courses closed');
  if (r.endedCourses === 'close-and-hide') parts.push('ended courses closed and hidden');
  if (r.pauseWindows.length > 0 || r.betweenTerms) parts.push('rollover pause');
  if (r.categories.length > 0) parts.push(count(r.categories.length, 'category rule'));
  if (r.courseTemplates.length > 0) parts.push(count(r.courseTemplates.length, 'template rule'));
  if (r.cohorts.length > 0) parts.push(count(r.cohorts.length, 'cohort rule'));
  if (r.parentsEnabled) parts.push('parent accounts');
  return parts.join(', ');
}
