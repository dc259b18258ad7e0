import type { Status } from '../core/contract/contract';
import type { Part } from '../core/model';

type LmsStatus = Status['lms'][number];
export type PartStatus = LmsStatus['parts'][number];

/** A part as the tray and notifications name it: what it does, and with which LMS. */
export function partName(part: Part, lmsName: string): string {
  switch (part) {
    case 'upload':
      return `Upload to ${lmsName}`;
    case 'results':
      return `Download from ${lmsName}`;
    case 'course-tracking':
      return `Course list of ${lmsName}`;
    case 'reconcile':
      return `Reconcile of ${lmsName}`;
  }
}

/** Every part of every LMS, with the LMS it belongs to. */
export function allParts(status: Status): { lms: LmsStatus; part: PartStatus; key: string }[] {
  return status.lms.flatMap((lms) => lms.parts.map((part) => ({ lms, part, key: `${lms.id}:${part.part}` })));
}

/** Shortens to `max` characters on a word boundary, with an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:—-]+$/, '')}…`;
}
