import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { SmsImportError, type SmsSource } from '../../contract';

/** A CSV file to read, from disk or from an upload: its name (for messages) and its bytes. */
export interface CsvInput {
  name: string;
  /** The first `bytes` bytes (fewer if the file is shorter). */
  head(bytes: number): Promise<Uint8Array>;
  /** All bytes, in chunks; never the whole file at once. */
  chunks(): AsyncIterable<Uint8Array>;
}

/**
 * An uploaded file handed over as a payload (the "upload to the receiver" route for eTAP, Assembly
 * and Edge). The contract types payloads as unknown; this is the shape the CSV adapter accepts.
 */
export interface CsvPayload {
  name: string;
  content: string | Uint8Array;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Finds the files a mapping names. A path may be the folder holding them or, for a combined mapping,
 * the CSV itself (separate files are then looked up beside it).
 */
export async function resolveInputs(source: SmsSource, names: readonly string[]): Promise<CsvInput[]> {
  if (source.kind === 'payloads') return names.map((name) => payloadInput(source.payloads, name, names.length));
  const info = await stat(source.path).catch(() => undefined);
  if (!info) throw new SmsImportError('missing', 'The chosen file or folder does not exist', { file: source.path });
  if (!info.isDirectory() && extname(source.path).toLowerCase() === '.zip')
    throw new SmsImportError('format', 'Zipped CSV files are not read directly: unzip them into a folder first', {
      file: basename(source.path),
      expected: 'a CSV file or a folder of CSV files',
      found: 'a zip archive',
    });
  if (!info.isDirectory() && names.length === 1) return [fileInput(source.path, basename(source.path))];
  const folder = info.isDirectory() ? source.path : dirname(source.path);
  // One after another, so the first missing file reported is always the first in the mapping.
  const inputs: CsvInput[] = [];
  for (const name of names) inputs.push(await existingFile(folder, name));
  return inputs;
}

async function existingFile(folder: string, name: string): Promise<CsvInput> {
  const path = join(folder, name);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new SmsImportError('missing', `The mapped file ${name} is not in the chosen folder`, {
      file: name,
      expected: `a file named ${name}`,
    });
  return fileInput(path, name);
}

function fileInput(path: string, name: string): CsvInput {
  return {
    name,
    async head(bytes) {
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    chunks: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }),
  };
}

function payloadInput(payloads: readonly unknown[], name: string, wanted: number): CsvInput {
  const files = payloads.filter(isCsvPayload);
  const match =
    files.find((file) => file.name === name) ??
    files.find((file) => basename(file.name).toLowerCase() === name.toLowerCase()) ??
    (wanted === 1 && files.length === 1 ? files[0] : undefined);
  if (!match)
    throw new SmsImportError('missing', `The mapped file ${name} was not among the uploaded files`, {
      file: name,
      expected: `an uploaded file named ${name}`,
      found: files.map((file) => file.name).join(', ') || 'no files',
    });
  const bytes = typeof match.content === 'string' ? new TextEncoder().encode(match.content) : match.content;
  return {
    name: match.name,
    head: async (count) => bytes.subarray(0, count),
    async *chunks() {
      for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
    },
  };
}

function isCsvPayload(value: unknown): value is CsvPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { name, content } = value as Record<string, unknown>;
  return typeof name === 'string' && (typeof content === 'string' || content instanceof Uint8Array);
}
