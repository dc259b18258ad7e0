import { byteOrderMarkOf } from '../text-encoding/byte-order-mark';

/**
 * The text encodings NAT files arrive in. NCVER asks for ASCII (Latin-1 / Windows-1252 in
 * practice), but SMSs also write UTF-8 (with or without a byte-order mark) and Excel's "Unicode
 * text" is UTF-16 with a BOM. Fixed-width columns count characters, so the bytes must be decoded
 * before any field is cut out: a UTF-8 "Māori" is 6 bytes but 5 characters.
 */
export type NatEncoding = 'ascii' | 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** How a file begins: the encoding its byte-order mark (or its NUL pattern) fixes, if any. */
export interface EncodingSniff {
  /** Undefined: no mark, so each line decides (ASCII, then UTF-8 if valid, else Windows-1252). */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | undefined;
  /** Bytes of byte-order mark to drop. */
  bomLength: number;
  /** True when the encoding came from a byte-order mark (kept when the file is written back). */
  bom: boolean;
}

/** Enough of the file's head to recognise a BOM and UTF-16 without one. */
export const SNIFF_BYTES = 512;

export function sniffEncoding(head: Uint8Array): EncodingSniff {
  const mark = byteOrderMarkOf(head);
  if (mark) return { encoding: mark.encoding, bomLength: mark.length, bom: true };
  return { encoding: utf16WithoutBom(head), bomLength: 0, bom: false };
}

/**
 * UTF-16 without a BOM: ASCII text then has a NUL in every pair, always on the same side. NUL
 * padding in a damaged single-byte file comes in runs (both bytes NUL), so it does not qualify and
 * is reported as a control character instead.
 */
function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
  if (pairs < 8) return undefined;
  let highNul = 0;
  let lowNul = 0;
  for (let i = 0; i < pairs; i++) {
    const first = head[2 * i] as number;
    const second = head[2 * i + 1] as number;
    if (first !== 0 && second === 0) highNul += 1;
    else if (first === 0 && second !== 0) lowNul += 1;
  }
  if (highNul >= pairs * 0.9) return 'utf-16le';
  if (lowNul >= pairs * 0.9) return 'utf-16be';
  return undefined;
}

// Windows-1252 differs from Latin-1 only in 0x80-0x9F (€, ‚, ’, …); TextDecoder knows the table,
// Node's Buffer does not, so the reverse table for writing back is built from the decoder.
const WINDOWS_1252 = new TextDecoder('windows-1252');
const ENCODE_1252 = new Map<number, number>();
for (let byte = 0x80; byte <= 0x9f; byte++) {
  ENCODE_1252.set(WINDOWS_1252.decode(Uint8Array.of(byte)).charCodeAt(0), byte);
}

export function decodeWindows1252(bytes: Uint8Array): string {
  return WINDOWS_1252.decode(bytes);
}

/** The bytes `text` had in a file of `encoding` (every character came from that encoding). */
export function encodeText(text: string, encoding: NatEncoding): Buffer {
  switch (encoding) {
    case 'ascii':
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'windows-1252': {
      const out = Buffer.alloc(text.length);
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        const byte = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : ENCODE_1252.get(code);
        // Text read from a Windows-1252 file only holds its characters; '?' is for a caller's own text.
        out[i] = byte ?? 0x3f;
      }
      return out;
    }
  }
}

/** The byte-order mark to write at the start of a file in `encoding` (when the original had one). */
export function byteOrderMark(encoding: NatEncoding): Buffer {
  if (encoding === 'utf-16le') return Buffer.from([0xff, 0xfe]);
  if (encoding === 'utf-16be') return Buffer.from([0xfe, 0xff]);
  if (encoding === 'utf-8') return Buffer.from([0xef, 0xbb, 0xbf]);
  return Buffer.alloc(0);
}

export function describeEncoding(encoding: NatEncoding): string {
  return {
    ascii: 'ASCII',
    'utf-8': 'UTF-8',
    'windows-1252': 'Windows-1252 (Latin-1)',
    'utf-16le': 'UTF-16 (little-endian)',
    'utf-16be': 'UTF-16 (big-endian)',
  }[encoding];
}
