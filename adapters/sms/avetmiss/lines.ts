import { SmsImportError } from '../../contract';

/** Far above any NAT record (NAT00085 is 557; state variants ~304): longer is not a NAT file. */
export const MAX_LINE_LENGTH = 4096;

export interface LineInfo {
  /** The record without its line end, one char per byte (latin1), so it can be written back byte for byte. */
  text: string;
  /** 1-based. */
  line: number;
}

/**
 * Splits a byte stream into lines (CRLF or LF) and hands each to `onLine` as it arrives, so memory
 * stays at one chunk plus one line whatever the file size. Returns the number of lines.
 */
export async function forEachLine(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  onLine: (info: LineInfo) => void,
  /** Awaited after each chunk's lines, e.g. to let a writer drain. */
  afterChunk?: () => Promise<void>,
): Promise<number> {
  let carry: Buffer | undefined;
  let line = 0;
  const emit = (bytes: Buffer): void => {
    line += 1;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    onLine({ text: bytes.toString('latin1', 0, end), line });
  };
  for await (const chunk of chunks) {
    const buffer = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let from = 0;
    for (let newline = buffer.indexOf(0x0a, from); newline !== -1; newline = buffer.indexOf(0x0a, from)) {
      if (newline - from > MAX_LINE_LENGTH) tooLong(file, line + 1);
      emit(buffer.subarray(from, newline));
      from = newline + 1;
    }
    if (buffer.length - from > MAX_LINE_LENGTH) tooLong(file, line + 1);
    // Copy the tail so the chunk it came from can be collected.
    carry = from < buffer.length ? Buffer.from(buffer.subarray(from)) : undefined;
    if (afterChunk) await afterChunk();
  }
  if (carry && carry.length > 0) emit(carry);
  return line;
}

function tooLong(file: string, line: number): never {
  throw new SmsImportError('format', 'A line is far longer than any NAT record: this is not a NAT text file', {
    file,
    line,
    expected: `records of at most ${MAX_LINE_LENGTH} characters`,
  });
}
