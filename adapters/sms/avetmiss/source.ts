import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SmsImportError, type SmsWarning } from '../../contract';
import { natFileIdOf, type NatFileId } from './layouts';
import { DEFAULT_ZIP_LIMITS, openZip, type ZipLimits } from './zip';

/** One NAT file of a package, wherever it lives. */
export interface NatEntry {
  id: NatFileId;
  /** As shown in errors: the file's own name, or `export.zip:NAT00080.txt`. */
  name: string;
  size: number;
  open(): AsyncIterable<Uint8Array>;
}

/** A folder or zip of NAT files (C.1), with its NAT files by type. */
export interface NatPackage {
  entries: ReadonlyMap<NatFileId, NatEntry>;
  /** Files in the source, NAT or not. */
  fileCount: number;
  warnings: SmsWarning[];
  close(): Promise<void>;
}

export async function openNatPackage(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<NatPackage> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new SmsImportError('missing', 'The export folder or zip does not exist', { file: path });
  if (info.isDirectory()) return openFolder(path);
  if (info.isFile() && (await startsWithZipMagic(path))) return openZipPackage(path, limits);
  const single = natFileIdOf(basename(path));
  if (info.isFile() && single) {
    // One NAT file cannot make a snapshot: the files refer to each other (C.1).
    throw new SmsImportError('format', `This is a single NAT file (${single}); import the whole export`, {
      file: path,
      expected: 'the folder or .zip holding the NAT files together (at least NAT00080 and NAT00120)',
      found: `${basename(path)} on its own`,
    });
  }
  throw new SmsImportError('format', 'Expected a folder of NAT files or a .zip of them', {
    file: path,
    expected: 'a folder or a .zip',
    found: 'another kind of file',
  });
}

async function startsWithZipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    // PK\3\4 (a zip with entries) or PK\5\6 (an empty zip).
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
  } finally {
    await handle.close();
  }
}

function addEntry(entries: Map<NatFileId, NatEntry>, entry: NatEntry): void {
  const existing = entries.get(entry.id);
  if (existing) {
    throw new SmsImportError('duplicate', `Two ${entry.id} files in one export`, {
      file: entry.name,
      expected: `one ${entry.id} file`,
      found: `${existing.name} and ${entry.name}`,
    });
  }
  entries.set(entry.id, entry);
}

function skippedWarning(name: string): SmsWarning {
  return { message: 'Not a NAT file of AVETMISS 8.0: skipped', file: name };
}

async function openFolder(folder: string): Promise<NatPackage> {
  const entries = new Map<NatFileId, NatEntry>();
  const warnings: SmsWarning[] = [];
  let fileCount = 0;
  for (const dirent of await readdir(folder, { withFileTypes: true })) {
    if (!dirent.isFile()) continue;
    fileCount += 1;
    const id = natFileIdOf(dirent.name);
    if (!id) {
      warnings.push(skippedWarning(dirent.name));
      continue;
    }
    const path = join(folder, dirent.name);
    const { size } = await stat(path);
    addEntry(entries, {
      id,
      name: dirent.name,
      size,
      open: () => createReadStream(path, { highWaterMark: 64 * 1024 }),
    });
  }
  return { entries, fileCount, warnings, close: async () => {} };
}

async function openZipPackage(path: string, limits: ZipLimits): Promise<NatPackage> {
  const archive = await openZip(path, limits);
  const entries = new Map<NatFileId, NatEntry>();
  const warnings: SmsWarning[] = [];
  let fileCount = 0;
  try {
    for (const entry of archive.entries) {
      if (entry.name.endsWith('/')) continue;
      fileCount += 1;
      const name = `${basename(path)}:${entry.name}`;
      // NAT files may sit in a folder inside the zip; the file name decides the type.
      const id = natFileIdOf(basename(entry.name.replace(/\\/g, '/')));
      if (!id) {
        warnings.push(skippedWarning(name));
        continue;
      }
      addEntry(entries, { id, name, size: entry.uncompressedSize, open: () => archive.read(entry) });
    }
  } catch (error) {
    await archive.close();
    throw error;
  }
  return { entries, fileCount, warnings, close: () => archive.close() };
}
