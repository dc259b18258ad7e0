import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { SmsImportError, type SmsWarning } from '../../contract';
import type { OneRosterVersion } from './options';

/**
 * manifest.csv (E.1): two columns propertyName,value; `oneroster.version` picks 1.1 or 1.2 and one
 * `file.<name>` row per file says bulk | delta | absent (a blank value, seen in catalyst's v1p2 sample,
 * counts as absent). No manifest, no version or version 1.0 → 'unsupported-version'.
 */
export type FileMode = 'bulk' | 'delta' | 'absent';

export interface Manifest {
  version: OneRosterVersion;
  /** File name without `.csv` (as written in the manifest, e.g. 'academicSessions') → mode. */
  files: Map<string, FileMode>;
  properties: Map<string, string>;
}

const FILE = 'manifest.csv';
export const MAX_MANIFEST_BYTES = 256 * 1024;

export function parseManifest(text: string, warnings: SmsWarning[]): Manifest {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    const line = error instanceof CsvError && typeof error.lines === 'number' ? error.lines : undefined;
    throw new SmsImportError('format', 'manifest.csv is not valid CSV', { file: FILE, line, found: String(error) });
  }
  const [header, ...body] = rows;
  if (!header || header[0] !== 'propertyName' || header[1] !== 'value') {
    throw new SmsImportError('unsupported-version', 'manifest.csv does not start with the header propertyName,value', {
      file: FILE,
      line: 1,
      expected: 'propertyName,value',
      found: header?.join(',') ?? '',
    });
  }
  const properties = new Map<string, string>();
  const files = new Map<string, FileMode>();
  body.forEach((row, index) => {
    const [name = '', value = ''] = row;
    if (!name) return;
    properties.set(name, value);
    if (!name.startsWith('file.')) return;
    const mode = value === '' ? 'absent' : value.toLowerCase();
    if (mode !== 'bulk' && mode !== 'delta' && mode !== 'absent') {
      throw new SmsImportError('format', `manifest.csv gives ${name} an unknown mode`, {
        file: FILE,
        line: index + 2,
        field: name,
        expected: 'bulk, delta or absent',
        found: value,
      });
    }
    files.set(name.slice('file.'.length), mode);
  });
  return { version: readVersion(properties, warnings), files, properties };
}

function readVersion(properties: Map<string, string>, warnings: SmsWarning[]): OneRosterVersion {
  const version = properties.get('oneroster.version');
  if (version === '1.1' || version === '1.2') {
    const manifestVersion = properties.get('manifest.version');
    if (manifestVersion !== undefined && manifestVersion !== '1.0') {
      warnings.push({
        message: `unexpected manifest.version ${manifestVersion}`,
        file: FILE,
        field: 'manifest.version',
      });
    }
    return version;
  }
  throw new SmsImportError('unsupported-version', 'only OneRoster 1.1 and 1.2 CSV are supported', {
    file: FILE,
    field: 'oneroster.version',
    expected: '1.1 or 1.2',
    found: version ?? '(absent)',
  });
}

export function missingManifest(label: string): SmsImportError {
  return new SmsImportError(
    'unsupported-version',
    `${label} has no manifest.csv: OneRoster 1.1 and 1.2 CSV require one (1.0 had none)`,
    { file: FILE, expected: 'manifest.csv with oneroster.version 1.1 or 1.2', found: '(absent)' },
  );
}
