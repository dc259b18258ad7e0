import { byteOrderMarkOf } from '../../text-encoding/byte-order-mark';

/**
 * Which text encoding a CSV file is in. Schools' CSVs come from Excel and report writers: UTF-8 with
 * or without a byte-order mark, Excel's "Unicode text" (UTF-16 LE with a BOM) or, from older Windows
 * tools, Windows-1252. There is no reliable marker for 1252, so: a BOM decides; otherwise the first
 * 64 KB must be valid UTF-8, or the file is read as Windows-1252 (which decodes any byte sequence).
 * UTF-8 is strict for the rest of the file; if it turns invalid later the caller starts over in 1252.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/** How much of the file the guess looks at. */
export const DETECTION_BYTES = 64 * 1024;

export function detectEncoding(head: Uint8Array): DetectedEncoding {
  const mark = byteOrderMarkOf(head);
  if (mark) return { encoding: mark.encoding, bomLength: mark.length };
  return { encoding: isValidUtf8Prefix(head) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** True when the bytes are UTF-8, allowing a multi-byte character cut off at the end of the sample. */
function isValidUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    // stream: true keeps an incomplete trailing sequence pending instead of rejecting it.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Thrown inside the decoder when UTF-8 turns invalid after the sample: the reader retries in 1252. */
export class LateEncodingChange extends Error {
  constructor(
    readonly byteOffset: number,
    readonly file = '',
  ) {
    super(`invalid UTF-8 at byte ${byteOffset}`);
  }
}

/**
 * Decodes byte chunks to text with line ends normalised to `\n`. Normalising here (not in the CSV
 * parser) matters: a chunk boundary between `\r` and `\n` would otherwise count as two line breaks,
 * and line numbers in error messages would drift.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  detected: DetectedEncoding,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(detected.encoding, { fatal: detected.encoding !== 'windows-1252' });
  let skip = detected.bomLength;
  let offset = 0;
  let pendingCarriageReturn = false;
  const normalise = (text: string): string => {
    let out = pendingCarriageReturn && !text.startsWith('\n') ? `\n${text}` : text;
    pendingCarriageReturn = out.endsWith('\r');
    if (pendingCarriageReturn) out = out.slice(0, -1);
    return out.includes('\r') ? out.replace(/\r\n?/g, '\n') : out;
  };
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
      offset += dropped;
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new LateEncodingChange(offset);
    }
    offset += bytes.length;
    if (text) yield normalise(text);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new LateEncodingChange(offset);
  }
  const tail = normalise(rest) + (pendingCarriageReturn ? '\n' : '');
  if (tail) yield tail;
}
