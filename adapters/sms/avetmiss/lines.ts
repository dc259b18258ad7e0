import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { SmsImportError } from '../../contract';
import { decodeWindows1252, describeEncoding, SNIFF_BYTES, sniffEncoding, type NatEncoding } from './encoding';

/** Far above any NAT record (NAT00085 is 557; state variants ~304): longer is not a NAT file. */
export const MAX_LINE_LENGTH = 4096;

export interface LineInfo {
  /** The record without its line end, decoded: one JS character per character of the file. */
  text: string;
  /** 1-based. */
  line: number;
  /**
   * The file's encoding as far as known at this line: `ascii` until the first line with a
   * non-ASCII byte decides between UTF-8 and Windows-1252 (a BOM decides from the start).
   */
  encoding: NatEncoding;
  /** The file began with a byte-order mark (so a rewrite writes one too). */
  bom: boolean;
}

/** What `onLine` returns to stop reading early (the rest of the file is not read). */
export const STOP = 'stop';
export type LineHandler = (info: LineInfo) => void | typeof STOP;

export interface LineReport {
  lines: number;
  encoding: NatEncoding;
  bom: boolean;
}

const NON_ASCII = /[\x80-\xff]/;

/**
 * Splits a byte stream into decoded lines and hands each to `onLine` as it arrives, so memory
 * stays at one chunk plus one line whatever the file size.
 *
 * Line ends: the first one in the file decides. CRLF or LF (a CR before the LF is dropped), or a
 * bare CR (old Mac exports). A stray CR or LF of the other kind stays in the line, where the
 * record reader names it as a control character instead of silently splitting a record.
 *
 * Encoding: a UTF-8 or UTF-16 byte-order mark decides; UTF-16 without one is recognised by its
 * NULs. Otherwise ASCII lines need no decision, and the first line with a non-ASCII byte decides
 * for the file: valid UTF-8 → UTF-8, else Windows-1252. A later line that is not valid UTF-8 in a
 * file already read as UTF-8 means the file mixes encodings, and is refused as such.
 */
export async function forEachLine(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  onLine: LineHandler,
  /** Awaited after each chunk's lines, e.g. to let a writer drain. */
  afterChunk?: () => Promise<void>,
): Promise<LineReport> {
  const reader = new LineReader(file, onLine);
  let head: Buffer[] = [];
  let headLength = 0;
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (reader.started) reader.push(bytes);
    else {
      // Enough bytes to recognise a byte-order mark or BOM-less UTF-16 before the first line.
      head.push(bytes);
      headLength += bytes.length;
      if (headLength < SNIFF_BYTES) continue;
      reader.start(Buffer.concat(head));
      head = [];
    }
    // Leaving the loop returns the iterator, which closes the file or the zip entry.
    if (reader.stopped) return reader.report();
    if (afterChunk) await afterChunk();
  }
  if (!reader.started) reader.start(Buffer.concat(head));
  if (!reader.stopped) reader.finish();
  return reader.report();
}

class LineReader {
  started = false;
  stopped = false;
  private line = 0;
  private carry = '';
  /** 'lf' covers CRLF too. Undefined until the first line end. */
  private ending: 'lf' | 'cr' | undefined;
  private encoding: NatEncoding | undefined;
  /** The line that decided the encoding (0: a byte-order mark did). */
  private decidedAt = 0;
  private bom = false;
  private utf16: TextDecoder | undefined;

  constructor(
    private readonly file: string,
    private readonly onLine: LineHandler,
  ) {}

  start(head: Buffer): void {
    this.started = true;
    const sniff = sniffEncoding(head);
    this.bom = sniff.bom;
    if (sniff.encoding === 'utf-16le' || sniff.encoding === 'utf-16be') {
      this.encoding = sniff.encoding;
      this.utf16 = new TextDecoder(sniff.encoding, { fatal: true });
    } else if (sniff.encoding === 'utf-8') {
      this.encoding = 'utf-8';
    }
    this.push(head.subarray(sniff.bomLength));
  }

  push(bytes: Buffer): void | typeof STOP {
    if (this.utf16) return this.split(this.decodeUtf16(bytes, true), false, true);
    // One character per byte (latin1) to split on; non-ASCII lines are decoded afterwards. isAscii
    // is SIMD-fast, so a pure-ASCII chunk (the usual NAT file) skips the per-line check.
    return this.split(bytes.toString('latin1'), false, isAscii(bytes) && !NON_ASCII.test(this.carry));
  }

  finish(): void {
    const rest = this.utf16 ? this.decodeUtf16(new Uint8Array(0), false) : '';
    this.split(rest, true, this.utf16 !== undefined);
  }

  report(): LineReport {
    return { lines: this.line, encoding: this.encoding ?? 'ascii', bom: this.bom };
  }

  private decodeUtf16(bytes: Uint8Array, stream: boolean): string {
    try {
      return (this.utf16 as TextDecoder).decode(bytes, { stream });
    } catch {
      throw new SmsImportError('encoding', 'The file is not valid UTF-16 text', {
        file: this.file,
        line: this.line + 1,
        expected: `${describeEncoding(this.encoding as NatEncoding)} text, as its start says`,
        found: 'a damaged character (an unpaired surrogate or an odd number of bytes)',
      });
    }
  }

  /** `decoded`: the text is final characters (UTF-16, or a chunk of pure ASCII). */
  private split(chunk: string, final: boolean, decoded: boolean): void | typeof STOP {
    const text = this.carry === '' ? chunk : this.carry + chunk;
    this.carry = '';
    if (this.ending === undefined && !this.decideEnding(text, final)) {
      if (text.length > MAX_LINE_LENGTH) this.tooLong();
      if (!final) {
        this.carry = text;
        return;
      }
    }
    const separator = this.ending === 'cr' ? '\r' : '\n';
    let from = 0;
    for (let end = text.indexOf(separator); end !== -1; end = text.indexOf(separator, from)) {
      if (end - from > MAX_LINE_LENGTH) this.tooLong();
      const cut = separator === '\n' && end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (this.emit(text.slice(from, cut), decoded) === STOP) return STOP;
      from = end + 1;
    }
    if (text.length - from > MAX_LINE_LENGTH) this.tooLong();
    const rest = text.slice(from);
    if (!final) {
      this.carry = rest;
      return;
    }
    // The last line may lack its line end (or keep the CR of a CRLF cut short).
    if (rest !== '') this.emit(rest.endsWith('\r') ? rest.slice(0, -1) : rest, decoded);
  }

  /** Decides the line-end style from the first line end; false when there is none yet. */
  private decideEnding(text: string, final: boolean): boolean {
    const lf = text.indexOf('\n');
    const cr = text.indexOf('\r');
    if (cr === -1 && lf === -1) return false;
    if (cr === -1 || (lf !== -1 && lf < cr)) this.ending = 'lf';
    else if (cr + 1 < text.length) this.ending = text.charCodeAt(cr + 1) === 10 ? 'lf' : 'cr';
    else if (final) this.ending = 'cr';
    else return false;
    return true;
  }

  private emit(raw: string, decoded: boolean): void | typeof STOP {
    this.line += 1;
    const text = decoded || !NON_ASCII.test(raw) ? raw : this.decodeLine(raw);
    const result = this.onLine({ text, line: this.line, encoding: this.encoding ?? 'ascii', bom: this.bom });
    if (result === STOP) this.stopped = true;
    return result;
  }

  /** A line with non-ASCII bytes (held one per character): UTF-8 or Windows-1252. */
  private decodeLine(raw: string): string {
    const bytes = Buffer.from(raw, 'latin1');
    const utf8 = isUtf8(bytes);
    if (this.encoding === undefined) {
      this.encoding = utf8 ? 'utf-8' : 'windows-1252';
      this.decidedAt = this.line;
    } else if (this.encoding === 'utf-8' && !utf8) {
      this.notUtf8();
    }
    return this.encoding === 'utf-8' ? bytes.toString('utf8') : decodeWindows1252(bytes);
  }

  private notUtf8(): never {
    const since = this.decidedAt === 0 ? 'its UTF-8 byte-order mark' : `line ${this.decidedAt}, which is UTF-8`;
    throw new SmsImportError('encoding', 'The file mixes text encodings: this line is not valid UTF-8', {
      file: this.file,
      line: this.line,
      expected: `UTF-8 throughout, as ${since} says (export the file again in one encoding)`,
      found: 'bytes that are not UTF-8 (Windows-1252 or Latin-1?)',
    });
  }

  private tooLong(): never {
    throw new SmsImportError('format', 'A line is far longer than any NAT record: this is not a NAT text file', {
      file: this.file,
      line: this.line + 1,
      expected: `records of at most ${MAX_LINE_LENGTH} characters`,
    });
  }
}
