import { SmsImportError, type SmsWarning } from '../../contract';
import type { NatRecord, RecordContext } from './fields';
import type { NatFileId } from './layouts';
import { readNatFile } from './read-file';
import type { NatEntry, NatPackage } from './source';

/** Everything but NAT00120: the records activities refer to, keyed by their identifiers. */
export interface ReferenceData {
  /** NAT00030 / NAT00030A by program identifier. */
  programs: Map<string, NatRecord>;
  /** NAT00060 by subject identifier. */
  subjects: Map<string, NatRecord>;
  /** NAT00080 by client identifier, in file order. */
  clients: Map<string, NatRecord>;
  /** NAT00085 by client identifier. */
  contacts: Map<string, NatRecord>;
  /** NAT00020 `TOID|location` keys, when the export has NAT00020. */
  locations?: Set<string>;
  has: (id: NatFileId) => boolean;
}

function duplicate(what: string, id: string, ctx: RecordContext, firstLine: number): never {
  throw new SmsImportError('duplicate', `The same ${what} appears twice`, {
    ...ctx,
    field: what,
    expected: `a unique ${what} (first seen on line ${firstLine})`,
    found: id,
  });
}

function missingReference(what: string, id: string, ctx: RecordContext, inFile: string): never {
  throw new SmsImportError('reference', `The ${what} is not in ${inFile}`, {
    ...ctx,
    field: what,
    expected: `a ${what} listed in ${inFile}`,
    found: id,
  });
}

/** Reads a keyed file into a map, refusing a key seen twice. */
async function readKeyed(
  entry: NatEntry | undefined,
  key: string,
  label: string,
  into: Map<string, NatRecord>,
  warnings: SmsWarning[],
  check?: (values: NatRecord, ctx: RecordContext) => void,
): Promise<number> {
  if (!entry) return 0;
  const firstLines = new Map<string, number>();
  return readNatFile(entry, warnings, (values, ctx) => {
    const id = values[key] as string;
    const seen = firstLines.get(id);
    if (seen !== undefined) duplicate(label, id, ctx, seen);
    firstLines.set(id, ctx.line);
    check?.(values, ctx);
    into.set(id, values);
  });
}

export async function readReferenceData(pkg: NatPackage, warnings: SmsWarning[]): Promise<ReferenceData> {
  const entry = (id: NatFileId): NatEntry | undefined => pkg.entries.get(id);
  const data: ReferenceData = {
    programs: new Map(),
    subjects: new Map(),
    clients: new Map(),
    contacts: new Map(),
    has: (id) => pkg.entries.has(id),
  };
  const organisation = entry('NAT00010');
  if (organisation) await readNatFile(organisation, warnings, () => {});
  const locationsEntry = entry('NAT00020');
  if (locationsEntry) {
    const locations = new Set<string>();
    await readNatFile(locationsEntry, warnings, (v) => locations.add(`${v.toid}|${v.locationId}`));
    data.locations = locations;
  }
  // A program may be in both NAT00030 and NAT00030A (short national + long state record): merged.
  const longPrograms = new Map<string, NatRecord>();
  await readKeyed(entry('NAT00030'), 'programId', 'Program identifier', data.programs, warnings);
  await readKeyed(entry('NAT00030A'), 'programId', 'Program identifier', longPrograms, warnings);
  for (const [id, record] of longPrograms) data.programs.set(id, record);
  await readKeyed(entry('NAT00060'), 'subjectId', 'Subject identifier', data.subjects, warnings);

  const clients = entry('NAT00080');
  if (!clients) {
    throw new SmsImportError('missing', 'The export has no NAT00080 (clients) file', {
      file: 'NAT00080.txt',
      expected: 'NAT00080.txt among the NAT files',
    });
  }
  const count = await readKeyed(clients, 'clientId', 'Client identifier', data.clients, warnings);
  if (count === 0) {
    throw new SmsImportError('empty', 'NAT00080 (clients) has no records', { file: clients.name });
  }
  const knownClient = (values: NatRecord, ctx: RecordContext): void => {
    if (!data.clients.has(values.clientId as string)) {
      missingReference('Client identifier', values.clientId as string, ctx, 'NAT00080');
    }
  };
  await readKeyed(entry('NAT00085'), 'clientId', 'Client identifier', data.contacts, warnings, knownClient);
  for (const id of ['NAT00090', 'NAT00100'] as const) {
    const file = entry(id);
    if (file) await readNatFile(file, warnings, knownClient);
  }
  const completions = entry('NAT00130');
  if (completions) {
    await readNatFile(completions, warnings, (values, ctx) => {
      knownClient(values, ctx);
      checkProgram(data, values.programId as string, ctx);
    });
  }
  return data;
}

export function checkActivityReferences(data: ReferenceData, values: NatRecord, ctx: RecordContext): void {
  const clientId = values.clientId as string;
  if (!data.clients.has(clientId)) missingReference('Client identifier', clientId, ctx, 'NAT00080');
  if (data.has('NAT00060') && !data.subjects.has(values.subjectId as string)) {
    missingReference('Subject identifier', values.subjectId as string, ctx, 'NAT00060');
  }
  checkProgram(data, values.programId as string, ctx);
  if (data.locations && !data.locations.has(`${values.toid}|${values.locationId}`)) {
    missingReference(
      'Training organisation delivery location identifier',
      values.locationId as string,
      ctx,
      'NAT00020',
    );
  }
}

function checkProgram(data: ReferenceData, programId: string, ctx: RecordContext): void {
  if (programId !== '' && (data.has('NAT00030') || data.has('NAT00030A')) && !data.programs.has(programId)) {
    missingReference('Program identifier', programId, ctx, 'NAT00030/NAT00030A');
  }
}
