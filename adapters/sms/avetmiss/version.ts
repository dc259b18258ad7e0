import { SmsImportError } from '../../contract';
import { isoFromDdmmyyyy } from './fields';
import type { NatFileId } from './layouts';
import { isKnownOutcome } from './outcomes';

/**
 * Recognises AVETMISS 7.0 records so they are refused as a version, not as garbage. The 7.0
 * layouts are from jobready/avetmiss_data `lib/avetmiss_data/stores/v7/*.rb` (C.4's layout oracle);
 * the 8.0 changes the reference notes (C.2: NAT00060 "124 → 123", subject flag deleted) agree.
 * 7.0 cannot be mapped honestly: NAT00120 has no training organisation identifier, so every
 * position moves, and the outcome table differs; a 7.0 export needs the SMS upgraded to 8.0.
 */
const GENDERS = new Set(['M', 'F', 'X', '@']);

function dateOrNotStated(text: string): boolean {
  return /^@{8}$/.test(text) || isoFromDdmmyyyy(text) !== undefined;
}

const DETECTORS: Partial<Record<NatFileId, (text: string) => string | undefined>> = {
  NAT00120(text) {
    const looks8 = isoFromDdmmyyyy(text.slice(52, 60)) && isoFromDdmmyyyy(text.slice(60, 68));
    const looks7 =
      isoFromDdmmyyyy(text.slice(42, 50)) && isoFromDdmmyyyy(text.slice(50, 58)) && isKnownOutcome(text.slice(60, 62));
    return !looks8 && looks7
      ? 'activity dates at columns 43 and 51 and no training organisation identifier (7.0 layout; 8.0 has them at 53 and 61)'
      : undefined;
  },
  NAT00080(text) {
    const looks8 = GENDERS.has(text.slice(72, 73)) && dateOrNotStated(text.slice(73, 81));
    const looks7 = /^(\d{4}|@{4})$/.test(text.slice(72, 76)) && GENDERS.has(text.slice(76, 77));
    return !looks8 && looks7 && dateOrNotStated(text.slice(77, 85))
      ? 'year highest school level completed at 73-76 and gender at 77 (7.0 layout; 8.0 has gender at 73)'
      : undefined;
  },
  NAT00060(text) {
    const looks8 = /^[YN]$/.test(text.slice(118, 119)) && /^\d{4}$/.test(text.slice(119, 123));
    const looks7 =
      /^[CM]$/.test(text.slice(0, 1)) && /^[YN]$/.test(text.slice(119, 120)) && /^\d{4}$/.test(text.slice(120, 124));
    return !looks8 && looks7 ? 'a subject flag in column 1 and a 124-character record (7.0 layout)' : undefined;
  },
};

/** Throws 'unsupported-version' when the first record of a file has the 7.0 layout. */
export function refuseRelease7(id: NatFileId, text: string, where: { file: string; line: number }): void {
  const reason = DETECTORS[id]?.(text);
  if (reason !== undefined) {
    throw new SmsImportError('unsupported-version', 'This looks like an AVETMISS 7.0 export; only 8.0 is supported', {
      ...where,
      expected: 'AVETMISS 8.0 record layout',
      found: reason,
    });
  }
}
