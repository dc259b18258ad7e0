import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Inflate } from 'fflate';
import { SmsImportError } from '../../contract';

/** Zip-bomb limits (task brief): total inflated bytes, and inflated : compressed per entry. */
export interface ZipLimits {
  maxTotalBytes: number;
  maxRatio: number;
  /** Entries smaller than this are not ratio-checked (a tiny all-spaces file compresses very well). */
  ratioGraceBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 2 * 1024 ** 3,
  maxRatio: 200,
  ratioGraceBytes: 1024 ** 2,
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  entries: readonly ZipEntry[];
  /** Inflates one entry chunk by chunk, enforcing the limits as it goes. */
  read(entry: ZipEntry): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Compressed bytes per read: bounds one inflate step to about 8 KiB × the ratio limit. */
const READ_CHUNK = 8 * 1024;

export async function openZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipArchive> {
  const file = basename(path);
  const handle = await open(path, 'r');
  try {
    const entries = await readCentralDirectory(handle, file);
    checkDeclaredSizes(entries, file, limits);
    let inflatedTotal = 0;
    const counter = (bytes: number, entry: ZipEntry): void => {
      inflatedTotal += bytes;
      if (inflatedTotal > limits.maxTotalBytes) {
        unsafe(
          file,
          `The archive inflates to more than ${limits.maxTotalBytes} bytes`,
          `${entry.name}: ${inflatedTotal} bytes`,
        );
      }
    };
    return {
      entries,
      read: (entry) => readEntry(handle, file, entry, limits, counter),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function notAZip(file: string, found: string): never {
  throw new SmsImportError('format', 'Not a readable zip archive', { file, expected: 'a zip archive', found });
}

function unsafe(file: string, message: string, found?: string): never {
  throw new SmsImportError('unsafe-archive', message, { file, ...(found !== undefined ? { found } : {}) });
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(handle: FileHandle, file: string): Promise<ZipEntry[]> {
  const { size } = await handle.stat();
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) notAZip(file, 'no end-of-central-directory record');
  const count = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) notAZip(file, 'ZIP64 archive (not supported)');
  if (directoryOffset + directorySize > size) notAZip(file, 'central directory beyond the end of the file');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      notAZip(file, `damaged central directory at entry ${i + 1}`);
    }
    const madeBy = directory.readUInt16LE(at + 4);
    const flags = directory.readUInt16LE(at + 8);
    const nameLength = directory.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    if (next > directory.length) notAZip(file, `damaged central directory at entry ${i + 1}`);
    const name = directory.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    const entry: ZipEntry = {
      name,
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      uncompressedSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    checkEntry(entry, file, madeBy, flags, directory.readUInt32LE(at + 38));
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Path traversal, absolute paths and links are refused for every entry, NAT file or not. */
function checkEntry(entry: ZipEntry, file: string, madeBy: number, flags: number, externalAttributes: number): void {
  const name = entry.name.replace(/\\/g, '/');
  if (name.includes('\0') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
    unsafe(file, 'The archive has an entry outside its own folder (path traversal or an absolute path)', entry.name);
  }
  const os = madeBy >> 8;
  const unixType = (externalAttributes >>> 16) & 0o170000;
  if ((os === 3 || os === 19) && unixType === 0o120000) {
    unsafe(file, 'The archive contains a symbolic link', entry.name);
  }
  if (flags & 0x1) {
    throw new SmsImportError('format', 'The archive entry is encrypted', { file, found: entry.name });
  }
  if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
    notAZip(file, 'ZIP64 entry (not supported)');
  }
  if (!name.endsWith('/') && entry.method !== 0 && entry.method !== 8) {
    throw new SmsImportError('format', 'The archive entry uses a compression method other than deflate', {
      file,
      expected: 'stored or deflate',
      found: `${entry.name}: method ${entry.method}`,
    });
  }
}

function checkDeclaredSizes(entries: readonly ZipEntry[], file: string, limits: ZipLimits): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) {
      unsafe(file, `The archive would inflate to more than ${limits.maxTotalBytes} bytes`, `${total} bytes declared`);
    }
    if (exceedsRatio(entry.uncompressedSize, entry.compressedSize, limits)) {
      unsafe(file, `An entry is compressed more than ${limits.maxRatio}:1 (zip bomb)`, entry.name);
    }
  }
}

function exceedsRatio(inflated: number, compressed: number, limits: ZipLimits): boolean {
  return inflated > limits.ratioGraceBytes && inflated > limits.maxRatio * Math.max(compressed, 1);
}

async function* readEntry(
  handle: FileHandle,
  file: string,
  entry: ZipEntry,
  limits: ZipLimits,
  count: (bytes: number, entry: ZipEntry) => void,
): AsyncGenerator<Uint8Array> {
  const header = await readAt(handle, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE)
    notAZip(file, `bad local header for ${entry.name}`);
  let position = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = position + entry.compressedSize;
  let inflated = 0;
  let compressed = 0;
  const pending: Uint8Array[] = [];
  const accept = (chunk: Uint8Array): void => {
    inflated += chunk.length;
    // Checked while inflating, so a bomb that lies about its sizes still stops within one step.
    if (inflated > entry.uncompressedSize) {
      unsafe(file, 'An entry inflates beyond the size it declares (zip bomb)', `${entry.name}: over ${inflated} bytes`);
    }
    if (exceedsRatio(inflated, compressed, limits)) {
      unsafe(file, 'An entry is compressed beyond the allowed ratio (zip bomb)', entry.name);
    }
    count(chunk.length, entry);
    pending.push(chunk);
  };
  const inflater = entry.method === 8 ? new Inflate((chunk) => accept(chunk)) : undefined;
  while (position < end) {
    const data = await readAt(handle, position, Math.min(READ_CHUNK, end - position));
    if (data.length === 0) notAZip(file, `${entry.name} is cut short`);
    position += data.length;
    compressed += data.length;
    try {
      if (inflater) inflater.push(data, position >= end);
      else accept(data);
    } catch (error) {
      if (error instanceof SmsImportError) throw error;
      notAZip(file, `${entry.name} does not inflate: ${(error as Error).message}`);
    }
    yield* pending.splice(0);
  }
  if (inflated !== entry.uncompressedSize) {
    notAZip(file, `${entry.name} inflates to ${inflated} bytes but declares ${entry.uncompressedSize}`);
  }
}
