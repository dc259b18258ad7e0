import type { Status } from '../core/contract/contract';

type LmsStatus = Status['lms'][number];
export type PartStatus = LmsStatus['parts'][number];

/** A part as the tray and notifications name it (the model's words, shared with alerts). */
export { partWithLms as partName } from '../core/model';

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
