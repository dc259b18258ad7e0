import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SmsImportError } from '../../contract';
import type { ZipLimits } from './options';
import { fileRandomAccess, type RandomAccess } from './random-access';
import { readZipDirectory, type ZipEntry } from './zip-directory';
import { inflateEntry } from './zip-inflate';

/**
 * The CSV files of one OneRoster data set, wherever they are: a folder, or a zip (E.1: "a zip of CSV files +
 * manifest.csv"). The manifest may sit at the top or inside one folder (as in catalyst's v1p2 sample zip);
 * file names are matched without regard to case (samples ship `userprofiles.csv`), column names are not.
 */
export interface RosterSource {
  /** Display name of the archive or folder, for messages. */
  readonly label: string;
  /** Lower-cased file name (e.g. 'users.csv') → the name as stored. */
  readonly files: ReadonlyMap<string, string>;
  open(storedName: string): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

const MANIFEST = 'manifest.csv';

export async function openRosterSource(path: string, limits: ZipLimits): Promise<RosterSource> {
  try {
    return await openPath(path, limits);
  } catch (error) {
    if (error instanceof SmsImportError) throw error;
    // A file-system failure (permissions, a file vanishing) is the source's problem, not a bug.
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    throw new SmsImportError('missing', 'the OneRoster source could not be read', { file: path, found: code });
  }
}

async function openPath(path: string, limits: ZipLimits): Promise<RosterSource> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new SmsImportError('missing', 'the OneRoster source does not exist', { file: path });
  if (info.isDirectory()) return openFolder(path);
  if (basename(path).toLowerCase() === MANIFEST) return openFolder(dirname(path));
  const archive = await fileRandomAccess(path);
  try {
    return await openZip(archive, basename(path), limits);
  } catch (error) {
    await archive.close();
    throw error;
  }
}

async function openFolder(folder: string): Promise<RosterSource> {
  let root = folder;
  let names = await csvNames(root);
  if (!names.has(MANIFEST)) {
    const subfolders = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory());
    const only = subfolders.length === 1 ? subfolders[0] : undefined;
    if (only) {
      const inner = await csvNames(join(root, only.name));
      if (inner.has(MANIFEST)) {
        root = join(root, only.name);
        names = inner;
      }
    }
  }
  return {
    label: basename(folder),
    files: names,
    open: (stored) => createReadStream(join(root, stored), { highWaterMark: 64 * 1024 }),
    close: () => Promise.resolve(),
  };
}

async function csvNames(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { withFileTypes: true });
  return new Map(entries.filter((e) => e.isFile()).map((e) => [e.name.toLowerCase(), e.name]));
}

export async function openZip(archive: RandomAccess, label: string, limits: ZipLimits): Promise<RosterSource> {
  const entries = await readZipDirectory(archive, label, limits);
  const folder = manifestFolder(entries);
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    const slash = entry.name.lastIndexOf('/');
    if (entry.name.slice(0, slash + 1) === folder) byName.set(entry.name.slice(slash + 1).toLowerCase(), entry);
  }
  return {
    label,
    files: new Map([...byName.keys()].map((key) => [key, key])),
    open: (key) => inflateEntry(archive, byName.get(key) as ZipEntry, label),
    close: () => archive.close(),
  };
}

/** The folder prefix ('' or 'name/') holding the shallowest manifest.csv; '' when there is none. */
function manifestFolder(entries: readonly ZipEntry[]): string {
  const manifests = entries
    .map((e) => e.name)
    .filter((name) => basename(name).toLowerCase() === MANIFEST)
    .sort((a, b) => a.split('/').length - b.split('/').length);
  const first = manifests[0];
  return first === undefined ? '' : first.slice(0, first.lastIndexOf('/') + 1);
}
