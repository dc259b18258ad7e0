import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { SmsDetectInput } from '../../../adapters/descriptor';
import { detectSmsFormat, smsAdapterDescriptor } from '../../../adapters/sms/registry';

/** An SMS adapter id (adapters/sms/registry.ts): which reader a source needs. */
export type SourceFormat = string;

/**
 * Guesses which reader a file or folder needs, from names only (cheap and safe on any size): each
 * adapter's descriptor says what its exports look like (OneRoster has manifest.csv, AVETMISS has NAT
 * files, KAMAR pushes are saved as JSON, plain CSV), asked in the registry's order. A zip is judged by
 * the names in its central directory.
 */
export function detectSourceFormat(path: string): SourceFormat | undefined {
  if (!existsSync(path)) return undefined;
  const input: SmsDetectInput = statSync(path).isDirectory()
    ? { kind: 'folder', names: baseNames(readdirSync(path)) }
    : extname(path).toLowerCase() === '.zip'
      ? { kind: 'zip', names: baseNames(zipEntryNames(path)) }
      : { kind: 'file', names: baseNames([path]) };
  return detectSmsFormat(input)?.id;
}

function baseNames(names: readonly string[]): string[] {
  return names.map((n) => n.split(/[\\/]/).pop()?.toLowerCase() ?? '');
}

/**
 * File names from a zip's central directory, read from the last 1 MB of the file only: names are
 * stored there in plain text after the 'PK\x01\x02' signatures.
 */
function zipEntryNames(path: string): string[] {
  const size = statSync(path).size;
  const length = Math.min(size, 1024 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const names: string[] = [];
  for (
    let i = buffer.indexOf('PK\x01\x02', 0, 'latin1');
    i >= 0 && i + 46 <= length;
    i = buffer.indexOf('PK\x01\x02', i + 4, 'latin1')
  ) {
    const nameLength = buffer.readUInt16LE(i + 28);
    names.push(buffer.toString('utf8', i + 46, Math.min(length, i + 46 + nameLength)));
  }
  return names;
}

export function describeFormat(format: SourceFormat): string {
  return smsAdapterDescriptor(format).displayName;
}
