import { SmsImportError } from '../../contract';
import type { ZipLimits } from './options';
import type { RandomAccess } from './random-access';

/**
 * Reads and vets a zip's central directory before anything is inflated (F: zip safety). Refused as
 * 'unsafe-archive': paths that escape the folder (`..`, absolute, drive letters), symbolic links, too
 * many entries, declared sizes or ratios over the limits, and entries whose data overlap (the
 * overlapping-file zip bomb). Sizes are checked again while inflating (zip-inflate.ts), since headers can lie.
 */
export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;
const RATIO_FLOOR_BYTES = 1024 * 1024;

function unsafe(message: string, file?: string, found?: string): SmsImportError {
  return new SmsImportError('unsafe-archive', message, { file, found });
}

function notZip(message: string, file: string): SmsImportError {
  return new SmsImportError('format', message, { file, expected: 'a zip archive' });
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function safeNumber(value: bigint, what: string, file: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw unsafe(`zip64 ${what} is out of range`, file);
  return Number(value);
}

interface DirectoryLocation {
  entries: number;
  size: number;
  offset: number;
}

async function locateDirectory(archive: RandomAccess, file: string): Promise<DirectoryLocation> {
  const tailLength = Math.min(archive.size, 22 + MAX_U16);
  const tailStart = archive.size - tailLength;
  const tail = await archive.read(tailStart, tailLength);
  const tailView = view(tail);
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tailView.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    const location = {
      entries: tailView.getUint16(at + 10, true),
      size: tailView.getUint32(at + 12, true),
      offset: tailView.getUint32(at + 16, true),
    };
    if (tailView.getUint16(at + 4, true) !== 0 || tailView.getUint16(at + 6, true) !== 0) {
      throw notZip('multi-disk (spanned) zip archives are not supported', file);
    }
    const needsZip64 = location.entries === MAX_U16 || location.size === MAX_U32 || location.offset === MAX_U32;
    return needsZip64 ? locateZip64Directory(archive, tailStart + at, file) : location;
  }
  throw notZip('no end-of-central-directory record: not a zip archive, or truncated', file);
}

async function locateZip64Directory(archive: RandomAccess, eocdAt: number, file: string): Promise<DirectoryLocation> {
  const locator = view(await archive.read(eocdAt - 20, 20));
  if (locator.byteLength < 20 || locator.getUint32(0, true) !== ZIP64_LOCATOR_SIGNATURE) {
    throw notZip('zip64 locator missing', file);
  }
  const recordAt = safeNumber(locator.getBigUint64(8, true), 'directory offset', file);
  const record = view(await archive.read(recordAt, 56));
  if (record.byteLength < 56 || record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) {
    throw notZip('zip64 end-of-central-directory record missing', file);
  }
  return {
    entries: safeNumber(record.getBigUint64(32, true), 'entry count', file),
    size: safeNumber(record.getBigUint64(40, true), 'directory size', file),
    offset: safeNumber(record.getBigUint64(48, true), 'directory offset', file),
  };
}

/** Applies the zip64 extended-information extra field (id 0x0001) to sizes/offset that overflowed 32 bits. */
function applyZip64Extra(entry: ZipEntry, extra: DataView, file: string): void {
  for (let at = 0; at + 4 <= extra.byteLength;) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === 0x0001) {
      let cursor = at + 4;
      const next = (): number => {
        if (cursor + 8 > at + 4 + length || cursor + 8 > extra.byteLength)
          throw notZip('zip64 extra field too short', file);
        const value = safeNumber(extra.getBigUint64(cursor, true), 'size', file);
        cursor += 8;
        return value;
      };
      if (entry.uncompressedSize === MAX_U32) entry.uncompressedSize = next();
      if (entry.compressedSize === MAX_U32) entry.compressedSize = next();
      if (entry.localHeaderOffset === MAX_U32) entry.localHeaderOffset = next();
    }
    at += 4 + length;
  }
}

const decoder = new TextDecoder('utf-8');

/** A name that, extracted, would land outside the folder (or is a device path): refused, never "cleaned". */
function escapesFolder(name: string): boolean {
  const normalised = name.replaceAll('\\', '/');
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised) || normalised.includes('\0')) return true;
  return normalised.split('/').some((segment) => segment === '..');
}

export async function readZipDirectory(archive: RandomAccess, file: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const location = await locateDirectory(archive, file);
  if (location.entries > limits.maxEntries) {
    throw unsafe(`archive has ${location.entries} entries (limit ${limits.maxEntries})`, file);
  }
  if (location.offset + location.size > archive.size) throw notZip('central directory lies past the end', file);
  const directory = await archive.read(location.offset, location.size);
  const dv = view(directory);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = 0;
  for (let index = 0; index < location.entries; index++) {
    if (at + 46 > directory.length || dv.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw notZip('central directory is corrupt', file);
    }
    const madeBy = dv.getUint16(at + 4, true);
    const flags = dv.getUint16(at + 8, true);
    const nameLength = dv.getUint16(at + 28, true);
    const extraLength = dv.getUint16(at + 30, true);
    const commentLength = dv.getUint16(at + 32, true);
    const externalAttributes = dv.getUint32(at + 38, true);
    if (at + 46 + nameLength + extraLength > directory.length) throw notZip('central directory is corrupt', file);
    const name = decoder.decode(directory.subarray(at + 46, at + 46 + nameLength));
    const entry: ZipEntry = {
      name,
      method: dv.getUint16(at + 10, true),
      crc32: dv.getUint32(at + 16, true),
      compressedSize: dv.getUint32(at + 20, true),
      uncompressedSize: dv.getUint32(at + 24, true),
      localHeaderOffset: dv.getUint32(at + 42, true),
    };
    applyZip64Extra(entry, view(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)), file);
    at += 46 + nameLength + extraLength + commentLength;

    if (escapesFolder(name)) throw unsafe('an entry path escapes the archive folder (path traversal)', file, name);
    const unixMode = madeBy >> 8 === 3 ? externalAttributes >>> 16 : 0;
    if ((unixMode & 0o170000) === 0o120000) throw unsafe('the archive contains a symbolic link', file, name);
    if (names.has(name)) throw unsafe('the archive names the same entry twice', file, name);
    names.add(name);
    if (name.endsWith('/')) continue;
    if (flags & 0x1)
      throw new SmsImportError('format', 'encrypted zip entries are not supported', { file, found: name });
    if (entry.method !== 0 && entry.method !== 8) {
      throw new SmsImportError('format', 'unsupported zip compression method', {
        file,
        field: name,
        expected: 'stored (0) or deflate (8)',
        found: String(entry.method),
      });
    }
    checkDeclaredSize(entry, limits, file);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes)
      throw unsafe(`archive inflates to over ${limits.maxTotalBytes} bytes (zip bomb)`, file);
    entries.push(entry);
  }
  checkNoOverlap(entries, location.offset, file);
  return entries;
}

function checkDeclaredSize(entry: ZipEntry, limits: ZipLimits, file: string): void {
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw unsafe(
      `entry inflates to ${entry.uncompressedSize} bytes (limit ${limits.maxEntryBytes}; zip bomb)`,
      file,
      entry.name,
    );
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxRatio) {
    throw unsafe(
      `entry compression ratio ${Math.round(ratio)}:1 exceeds ${limits.maxRatio}:1 (zip bomb)`,
      file,
      entry.name,
    );
  }
}

/** Each entry's data must end before the next entry's header and before the central directory. */
function checkNoOverlap(entries: ZipEntry[], directoryOffset: number, file: string): void {
  const sorted = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i] as ZipEntry;
    const limit = sorted[i + 1]?.localHeaderOffset ?? directoryOffset;
    if (entry.localHeaderOffset + 30 + entry.compressedSize > limit) {
      throw unsafe('zip entries overlap (overlapping-file zip bomb)', file, entry.name);
    }
  }
}
