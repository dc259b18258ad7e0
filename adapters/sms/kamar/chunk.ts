import { SmsImportError, type SmsProblemList } from '../../contract';
import { payloadBlock, type KamarMessage } from './envelope';
import { at } from './fields';
import { readPerson, readSubject } from './records';
import type { RollState } from './roll';
import type { WarningSink } from './warnings';

/** The payload keys of a `full`/`part` message (ref A.3: staff, students, and subjects with common.subjects). */
export const ROLL_KEYS = ['students', 'staff', 'subjects'] as const;
export type RollKey = (typeof ROLL_KEYS)[number];

/** What one chunk declared and carried per payload key, for the completeness check in sessions.ts. */
export type ChunkCounts = Partial<Record<RollKey, { declared?: number; received: number }>>;

export interface ChunkOptions {
  includeFormClasses: boolean;
  /** Students' caregivers read too (caregivers.ts: only while some LMS connection's parents rule is on). */
  caregivers?: boolean;
  /** Today's date (YYYY-MM-DD) for messages without a readable `datetime`. */
  today: () => string;
}

/**
 * Merges one `full` or `part` message into `state`. A bad record is added to `problems` and skipped,
 * so up to 100 are reported at once; the caller refuses the whole sync when there is any
 * (all-or-nothing), so a half-merged state is never used. A bad envelope or payload block still
 * throws SmsImportError at once: nothing after it can be read.
 */
export function mergeRollChunk(
  message: KamarMessage,
  state: RollState,
  warnings: WarningSink,
  options: ChunkOptions,
  problems: SmsProblemList,
): ChunkCounts {
  const counts: ChunkCounts = {};
  const recordOptions = {
    today: message.syncDate ?? options.today(),
    includeFormClasses: options.includeFormClasses,
    caregivers: options.caregivers === true,
    warn: (text: string, fieldPath: string) => warnings.add({ message: text, file: message.file, field: fieldPath }),
  };
  for (const key of ROLL_KEYS) {
    const block = payloadBlock(message, key);
    if (!block) continue;
    counts[key] = { ...(block.count !== undefined ? { declared: block.count } : {}), received: block.data.length };
    block.data.forEach((raw, index) => {
      const place = at(block.place, index);
      try {
        if (key === 'subjects') state.addSubject(readSubject(raw, place));
        else state.addPerson(readPerson(raw, key === 'staff' ? 'staff' : 'student', place, recordOptions));
      } catch (error) {
        if (!(error instanceof SmsImportError)) throw error;
        for (const problem of error.problems) problems.add(problem.kind, problem.message, problem.where);
      }
    });
  }
  return counts;
}

/** Today's local date as YYYY-MM-DD (KAMAR's `datetime` is local NZ time too, ref A.2). */
export function isoToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
