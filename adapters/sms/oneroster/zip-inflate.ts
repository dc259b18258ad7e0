import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { SmsImportError } from '../../contract';
import type { RandomAccess } from './random-access';
import type { ZipEntry } from './zip-directory';

const LOCAL_SIGNATURE = 0x04034b50;
const READ_CHUNK = 64 * 1024;
/** Compressed bytes given to the inflater at a time: deflate's ratio is at most ~1032:1, so one push makes
 * at most ~16 MiB before the running total is checked again. */
const PUSH_SLICE = 16 * 1024;

/**
 * Streams one entry's uncompressed bytes, chunk by chunk. The running total is checked against the size the
 * directory declared (already within the limits) after every slice, so an entry whose header lies about
 * its size is stopped as a zip bomb within ~16 MiB; the CRC-32 is checked at the end.
 */
export async function* inflateEntry(archive: RandomAccess, entry: ZipEntry, file: string): AsyncGenerator<Uint8Array> {
  const header = await archive.read(entry.localHeaderOffset, 30);
  const dv = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length < 30 || dv.getUint32(0, true) !== LOCAL_SIGNATURE) {
    throw new SmsImportError('format', 'zip entry header is corrupt', { file, found: entry.name });
  }
  let position = entry.localHeaderOffset + 30 + dv.getUint16(26, true) + dv.getUint16(28, true);
  const end = position + entry.compressedSize;
  if (end > archive.size) throw new SmsImportError('format', 'zip entry is truncated', { file, found: entry.name });

  let produced = 0;
  let checksum = 0;
  let pending: Uint8Array[] = [];
  const accept = (chunk: Uint8Array): void => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize) {
      throw new SmsImportError('unsafe-archive', 'entry inflates past its declared size (zip bomb)', {
        file,
        field: entry.name,
        expected: `${entry.uncompressedSize} bytes`,
        found: `more than ${produced - chunk.length} bytes`,
      });
    }
    checksum = crc32(chunk, checksum);
    pending.push(chunk);
  };
  const inflater = entry.method === 8 ? new Inflate((chunk) => accept(chunk)) : undefined;

  while (position < end) {
    const compressed = await archive.read(position, Math.min(READ_CHUNK, end - position));
    if (compressed.length === 0) break;
    position += compressed.length;
    for (let at = 0; at < compressed.length; at += PUSH_SLICE) {
      const slice = compressed.subarray(at, at + PUSH_SLICE);
      const final = position >= end && at + PUSH_SLICE >= compressed.length;
      if (inflater) pushDeflate(inflater, slice, final, file, entry.name);
      else accept(slice.slice());
      if (pending.length > 0) {
        yield* pending;
        pending = [];
      }
    }
  }
  if (inflater && entry.compressedSize === 0) pushDeflate(inflater, new Uint8Array(0), true, file, entry.name);
  if (produced !== entry.uncompressedSize || checksum >>> 0 !== entry.crc32) {
    throw new SmsImportError('format', 'zip entry is corrupt (size or CRC-32 mismatch)', {
      file,
      field: entry.name,
      expected: `${entry.uncompressedSize} bytes`,
      found: `${produced} bytes`,
    });
  }
}

function pushDeflate(inflater: Inflate, slice: Uint8Array, final: boolean, file: string, name: string): void {
  try {
    inflater.push(slice, final);
  } catch (error) {
    if (error instanceof SmsImportError) throw error;
    throw new SmsImportError('format', 'zip entry holds corrupt deflate data', {
      file,
      field: name,
      found: error instanceof Error ? error.message : String(error),
    });
  }
}
