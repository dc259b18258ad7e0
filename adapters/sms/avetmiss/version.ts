import { SmsImportError, SmsProblemList } from '../../contract';
import { isoFromDdmmyyyy } from './fields';
import type { NatFileId } from './layouts';
import { forEachLine, STOP } from './lines';
import { isKnownOutcome } from './outcomes';
import type { NatEntry, NatPackage } from './source';

/**
 * Recognises AVETMISS 7.0 records so they are refused as a version, not as garbage. The 7.0
 * layouts are from jobready/avetmiss_data `lib/avetmiss_data/stores/v7/*.rb` (C.4's layout oracle);
 * the 8.0 changes the reference notes (C.2: NAT00060 "124 → 123", subject flag deleted) agree.
 * 7.0 cannot be mapped honestly: NAT00120 has no training organisation identifier, so every
 * position moves, and the outcome table differs; a 7.0 export needs the SMS upgraded to 8.0.
 * Record lengths, 7.0 → 8.0: NAT00130 35 → 39 (year completed → date completed), NAT00060 124 →
 * 123, NAT00080 331 → 327; NAT00010 keeps its length but 8.0 blanks the type and address block.
 */
const GENDERS = new Set(['M', 'F', 'X', '@']);

function dateOrNotStated(text: string): boolean {
  return /^@{8}$/.test(text) || isoFromDdmmyyyy(text) !== undefined;
}

/**
 * What a file's first record says about the release. `weak`: the 7.0 shape is also what some
 * state 8.0 layouts write, so it only counts when no other file looks like 8.0.
 */
type Evidence = { version: '7.0'; reason: string; weak?: boolean } | { version: '8.0' } | undefined;

const EIGHT: Evidence = { version: '8.0' };

function seven(looks7: unknown, reason: string, weak = false): Evidence {
  return looks7 ? { version: '7.0', reason, weak } : undefined;
}

const DETECTORS: Partial<Record<NatFileId, (text: string) => Evidence>> = {
  NAT00010(text) {
    // 8.0 leaves 111-268 as filler (C.2: NCVER uses TOID and name only); 7.0 holds the type,
    // address and state there. State 8.0 collections may still fill them: weak evidence.
    const looks7 =
      /^\d\d$/.test(text.slice(110, 112)) &&
      /^(0[1-9]|99)$/.test(text.slice(266, 268)) &&
      text.slice(112, 262).trim() !== '';
    return seven(
      looks7,
      'a training organisation type identifier at columns 111-112 and an address and state identifier up to column 268 (7.0 layout; 8.0 leaves columns 111-268 blank)',
      true,
    );
  },
  NAT00060(text) {
    if (/^[YN]$/.test(text.slice(118, 119)) && /^\d{4}$/.test(text.slice(119, 123))) return EIGHT;
    const looks7 =
      /^[CM]$/.test(text.slice(0, 1)) && /^[YN]$/.test(text.slice(119, 120)) && /^\d{4}$/.test(text.slice(120, 124));
    return seven(looks7, 'a subject flag in column 1 and a 124-character record (7.0 layout)');
  },
  NAT00080(text) {
    if (GENDERS.has(text.slice(72, 73)) && dateOrNotStated(text.slice(73, 81))) return EIGHT;
    const looks7 =
      /^(\d{4}|@{4})$/.test(text.slice(72, 76)) &&
      GENDERS.has(text.slice(76, 77)) &&
      dateOrNotStated(text.slice(77, 85));
    return seven(
      looks7,
      'year highest school level completed at 73-76 and gender at 77 (7.0 layout; 8.0 has gender at 73)',
    );
  },
  NAT00120(text) {
    if (isoFromDdmmyyyy(text.slice(52, 60)) && isoFromDdmmyyyy(text.slice(60, 68))) return EIGHT;
    const looks7 =
      isoFromDdmmyyyy(text.slice(42, 50)) && isoFromDdmmyyyy(text.slice(50, 58)) && isKnownOutcome(text.slice(60, 62));
    return seven(
      looks7,
      'activity dates at columns 43 and 51 and no training organisation identifier (7.0 layout; 8.0 has them at 53 and 61)',
    );
  },
  NAT00130(text) {
    if (dateOrNotStated(text.slice(30, 38))) return EIGHT;
    const looks7 =
      /^(19|20)\d\d$/.test(text.slice(30, 34)) && /^[YN]$/.test(text.slice(34, 35)) && text.slice(35, 39).trim() === '';
    return seven(
      looks7,
      'the year program completed at columns 31-34 and the issued flag at 35 (7.0 layout, 35 characters; 8.0 has the date program completed DDMMYYYY at 31-38 and the flag at 39)',
    );
  },
};

/** The first record of a file (skipping blank lines), or undefined when it has none or cannot be read. */
async function firstRecord(entry: NatEntry): Promise<{ text: string; line: number } | undefined> {
  let first: { text: string; line: number } | undefined;
  try {
    await forEachLine(entry.open(), entry.name, ({ text, line }) => {
      if (text.trim() === '') return;
      first = { text, line };
      return STOP;
    });
  } catch (error) {
    // The full read reports what is wrong with the file, with its line; here it just says nothing.
    if (!(error instanceof SmsImportError)) throw error;
  }
  return first;
}

/**
 * Looks at the first record of every file before anything is read, and throws
 * 'unsupported-version' when the export (or part of it) has the 7.0 layout, listing each 7.0
 * file with what gave it away. One look per file, so a 7.0 set is named as such at once, not as
 * a shifted date in whichever file happens to be read first.
 */
export async function refuseRelease7(pkg: NatPackage): Promise<void> {
  const sevens: { reason: string; weak: boolean; where: { file: string; line: number } }[] = [];
  let eight = false;
  for (const [id, entry] of pkg.entries) {
    const detect = DETECTORS[id];
    if (!detect) continue;
    const first = await firstRecord(entry);
    if (!first) continue;
    const evidence = detect(first.text);
    if (evidence?.version === '8.0') eight = true;
    else if (evidence)
      sevens.push({ ...evidence, weak: evidence.weak === true, where: { file: entry.name, line: first.line } });
  }
  const strong = sevens.some((s) => !s.weak);
  if (!strong && (sevens.length === 0 || eight)) return;
  const problems = new SmsProblemList();
  const message = eight
    ? 'Part of this export is in the AVETMISS 7.0 layout; only 8.0 is supported'
    : 'This is an AVETMISS 7.0 export; only 8.0 is supported';
  for (const seven of sevens) {
    problems.add('unsupported-version', message, {
      ...seven.where,
      expected: 'AVETMISS 8.0 record layout',
      found: seven.reason,
    });
  }
  problems.throwIfAny();
}
