import { resolve } from 'node:path';
import { parseManifest } from './manifest';
import { DEFAULT_ZIP_LIMITS, type OneRosterVersion } from './options';
import { readManifestText } from './read-roster';
import { openRosterSource } from './source';

/**
 * The OneRoster version of an export (its manifest.csv's oneroster.version), read without the rest of
 * the export: results are written in the version of the export they are written against (descriptor.ts
 * re-reads it), so this is the version the SIS will be sent. Undefined when the export cannot be read.
 */
export async function oneRosterExportVersion(path: string): Promise<OneRosterVersion | undefined> {
  const source = await openRosterSource(resolve(path), DEFAULT_ZIP_LIMITS).catch(() => undefined);
  if (!source) return undefined;
  try {
    return parseManifest(await readManifestText(source), []).version;
  } catch {
    return undefined;
  } finally {
    await source.close();
  }
}
