import type { ApiOutput } from '../../core/contract/contract';

type Records = NonNullable<ApiOutput<'sync:preview'>['records']>;

const TITLES: Record<keyof Records, string> = {
  people: 'People',
  courses: 'Courses',
  enrolments: 'Enrolments',
  classes: 'Classes',
};

/**
 * `classbridge sync upload --dry-run`: the dry run's table of records (sync:preview `records`) as
 * indented lines, one per record: "    create  Aroha Ngata (S1) — username angata".
 */
export function recordLines(records: Records | undefined): string[] {
  if (!records) return [];
  const lines: string[] = [];
  for (const kind of Object.keys(TITLES) as (keyof Records)[]) {
    if (records[kind].length === 0) continue;
    lines.push(`  ${TITLES[kind]} (first ${records[kind].length}):`);
    for (const r of records[kind])
      lines.push(`    ${r.status.padEnd(10)} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  }
  return lines;
}
