/**
 * The byte-order mark an SMS export may begin with (Excel's "CSV UTF-8" and "Unicode Text", report
 * writers): it fixes the file's encoding. Shared by the readers of text exports (CSV, AVETMISS).
 */
export interface ByteOrderMark {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Bytes to skip before the text. */
  length: number;
}

export function byteOrderMarkOf(head: Uint8Array): ByteOrderMark | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}
