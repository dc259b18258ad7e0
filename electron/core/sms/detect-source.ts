import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { SmsProviderInfo } from '../model';

export type SourceFormat = SmsProviderInfo['adapter'];

/**
 * Guesses which reader a file or folder needs, from names only (cheap and safe on any size):
 * OneRoster has manifest.csv, AVETMISS has NAT files (NAT00010 … NAT00130), KAMAR pushes are saved as JSON, and
 * anything else with .csv is plain CSV. A zip is judged by the names in its central directory.
 */
export function detectSourceFormat(path: string): SourceFormat | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) return formatOfNames(readdirSync(path));
  const ext = extname(path).toLowerCase();
  if (ext === '.zip') return formatOfNames(zipEntryNames(path));
  if (ext === '.json') return 'kamar';
  return formatOfNames([path]);
}

function formatOfNames(names: readonly string[]): SourceFormat | undefined {
  const base = names.map((n) => n.split(/[\\/]/).pop()?.toLowerCase() ?? '');
  if (base.includes('manifest.csv')) return 'oneroster';
  if (base.some(isNatFileName)) return 'avetmiss';
  if (base.some((n) => n.endsWith('.csv') || n.endsWith('.txt'))) return 'csv';
  return undefined;
}

/**
 * Every AVETMISS NAT file name (NAT00010 … NAT00130, NAT00030A), any case, with or without an
 * extension: `NAT00120`, `nat00100.TXT`. Five digits, not `nat000` + two, or NAT00100 and later
 * would be taken for CSV.
 */
function isNatFileName(lowerCaseName: string): boolean {
  return /^nat\d{5}a?(\.[^.]*)?$/.test(lowerCaseName);
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
  return {
    avetmiss: 'AVETMISS NAT files',
    oneroster: 'OneRoster CSV',
    kamar: 'KAMAR Directory Services push',
    csv: 'CSV',
  }[format];
}
