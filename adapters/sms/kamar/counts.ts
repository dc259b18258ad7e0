import type { SmsProblemWhere } from '../../contract';
import { ROLL_KEYS, type ChunkCounts, type RollKey } from './chunk';

/** A `count` that the records received cannot match, with where, for an answer or a refused import. */
export interface CountProblem {
  message: string;
  where: SmsProblemWhere;
}

interface KeyCounts {
  /** The largest `count` declared for this key in the sync. */
  declared: number;
  /** Two messages declared different counts: `count` cannot be a total for the whole sync. */
  conflicting: boolean;
  /** The first message that carried fewer records than its own `count`: `count` cannot be per message. */
  short?: { file: string; declared: number; carried: number };
}

/**
 * Whether the records of one sync can add up to what KAMAR declared. Whether `count` counts the
 * records of one message (every public sample) or of the whole sync is not public (README), so a sync
 * is refused only when neither reading fits:
 * - per message: every message carries exactly its `count` records (no message is short);
 * - per sync: every message declares the same total, and that many distinct records arrived in all.
 * "Distinct" (people by id, subjects by code) so that a chunk KAMAR resends is not counted twice.
 */
export class CountCheck {
  private readonly keys = new Map<RollKey, KeyCounts>();

  add(counts: ChunkCounts, file: string): void {
    for (const key of ROLL_KEYS) {
      const count = counts[key];
      if (count?.declared === undefined) continue;
      const known = this.keys.get(key);
      const entry: KeyCounts = known ?? { declared: count.declared, conflicting: false };
      if (known && known.declared !== count.declared) {
        entry.conflicting = true;
        entry.declared = Math.max(known.declared, count.declared);
      }
      if (count.declared > count.received) {
        entry.short ??= { file, declared: count.declared, carried: count.received };
      }
      this.keys.set(key, entry);
    }
  }

  /**
   * A problem no later message can mend (a short message, and the counts cannot be a sync total
   * either): known while KAMAR is still waiting for its answer, so it is told at once.
   */
  impossible(distinct: (key: RollKey) => number): CountProblem | undefined {
    for (const [key, entry] of this.keys) {
      const received = distinct(key);
      if (entry.short && (entry.conflicting || received > entry.declared)) return problem(key, entry, received);
    }
    return undefined;
  }

  /** At the end of a sync: a short message whose records were not made up by the rest of the sync. */
  incomplete(distinct: (key: RollKey) => number): CountProblem | undefined {
    for (const [key, entry] of this.keys) {
      const received = distinct(key);
      if (entry.short && (entry.conflicting || received !== entry.declared)) return problem(key, entry, received);
    }
    return undefined;
  }
}

function problem(key: RollKey, entry: KeyCounts, received: number): CountProblem {
  const short = entry.short ?? { file: '', declared: entry.declared, carried: received };
  return {
    message:
      `the record counts do not add up: KAMAR declared ${short.declared} ${key} in a message that carries ` +
      `${short.carried}, and ${received} arrived in all, so records are missing`,
    where: {
      file: short.file,
      field: `SMSDirectoryData.${key}.count`,
      expected: `${short.declared} ${key}`,
      found: `${short.carried} in the message, ${received} in the sync`,
    },
  };
}
