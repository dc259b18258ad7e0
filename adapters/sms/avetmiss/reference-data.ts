import { SmsImportError, type SmsProblemList } from '../../contract';
import type { NatRecord, RecordContext } from './fields';
import type { NatFileId } from './layouts';
import { readNatFile, type ReadSink } from './read-file';
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
  /** NAT00020: the training organisations each delivery location is listed under, when the export has it. */
  locations?: Map<string, Set<string>>;
  has: (id: NatFileId) => boolean;
}

function duplicate(problems: SmsProblemList, what: string, id: string, ctx: RecordContext, firstLine: number): void {
  problems.add('duplicate', `The same ${what} appears twice`, {
    ...ctx,
    field: what,
    expected: `a unique ${what} (first seen on line ${firstLine})`,
    found: id,
  });
}

function missingReference(
  problems: SmsProblemList,
  what: string,
  id: string,
  ctx: RecordContext,
  inFile: string,
): void {
  problems.add('reference', `The ${what} is not in ${inFile}`, {
    ...ctx,
    field: what,
    expected: `a ${what} listed in ${inFile}`,
    found: id,
  });
}

/**
 * Reads a keyed file into a map, refusing a key seen twice. A damaged record's key is still
 * noted (when it read), so references to it are not reported on top of its own problem.
 * Returns the number of records, damaged ones included.
 */
async function readKeyed(
  entry: NatEntry | undefined,
  key: string,
  label: string,
  into: Map<string, NatRecord>,
  sink: ReadSink,
  check?: (values: NatRecord, ctx: RecordContext) => void,
): Promise<number> {
  if (!entry) return 0;
  const firstLines = new Map<string, number>();
  const note = (values: NatRecord, ctx: RecordContext): boolean => {
    const id = values[key] as string;
    if (id === '') return false;
    const seen = firstLines.get(id);
    if (seen !== undefined) {
      duplicate(sink.problems, label, id, ctx, seen);
      return false;
    }
    firstLines.set(id, ctx.line);
    into.set(id, values);
    return true;
  };
  let damaged = 0;
  const records = await readNatFile(
    entry,
    sink,
    (values, ctx) => {
      if (note(values, ctx)) check?.(values, ctx);
    },
    (values, ctx) => {
      damaged += 1;
      note(values, ctx);
    },
  );
  return records + damaged;
}

export async function readReferenceData(pkg: NatPackage, sink: ReadSink): Promise<ReferenceData> {
  const entry = (id: NatFileId): NatEntry | undefined => pkg.entries.get(id);
  const { problems } = sink;
  const data: ReferenceData = {
    programs: new Map(),
    subjects: new Map(),
    clients: new Map(),
    contacts: new Map(),
    has: (id) => pkg.entries.has(id),
  };
  const organisation = entry('NAT00010');
  if (organisation) await readNatFile(organisation, sink, () => {});
  const locationsEntry = entry('NAT00020');
  if (locationsEntry) {
    const locations = new Map<string, Set<string>>();
    const note = (v: NatRecord): void => {
      if (v.toid === '' || v.locationId === '') return;
      const toids = locations.get(v.locationId as string) ?? new Set<string>();
      toids.add(v.toid as string);
      locations.set(v.locationId as string, toids);
    };
    await readNatFile(locationsEntry, sink, note, note);
    data.locations = locations;
  }
  // A program may be in both NAT00030 and NAT00030A (short national + long state record): merged.
  const longPrograms = new Map<string, NatRecord>();
  await readKeyed(entry('NAT00030'), 'programId', 'Program identifier', data.programs, sink);
  await readKeyed(entry('NAT00030A'), 'programId', 'Program identifier', longPrograms, sink);
  for (const [id, record] of longPrograms) data.programs.set(id, record);
  await readKeyed(entry('NAT00060'), 'subjectId', 'Subject identifier', data.subjects, sink);

  const clients = entry('NAT00080');
  if (!clients) {
    throw new SmsImportError('missing', 'The export has no NAT00080 (clients) file', {
      file: 'NAT00080.txt',
      expected: 'NAT00080.txt among the NAT files',
    });
  }
  const count = await readKeyed(clients, 'clientId', 'Client identifier', data.clients, sink);
  if (count === 0 && problems.total === 0) {
    throw new SmsImportError('empty', 'NAT00080 (clients) has no records', { file: clients.name });
  }
  const knownClient = (values: NatRecord, ctx: RecordContext): void => {
    if (!data.clients.has(values.clientId as string)) {
      missingReference(problems, 'Client identifier', values.clientId as string, ctx, 'NAT00080');
    }
  };
  await readKeyed(entry('NAT00085'), 'clientId', 'Client identifier', data.contacts, sink, knownClient);
  for (const id of ['NAT00090', 'NAT00100'] as const) {
    const file = entry(id);
    if (file) await readNatFile(file, sink, knownClient);
  }
  const completions = entry('NAT00130');
  if (completions) {
    await readNatFile(completions, sink, (values, ctx) => {
      knownClient(values, ctx);
      checkProgram(data, problems, values.programId as string, ctx);
    });
  }
  return data;
}

export function checkActivityReferences(
  data: ReferenceData,
  problems: SmsProblemList,
  values: NatRecord,
  ctx: RecordContext,
): void {
  const clientId = values.clientId as string;
  if (!data.clients.has(clientId)) missingReference(problems, 'Client identifier', clientId, ctx, 'NAT00080');
  if (data.has('NAT00060') && !data.subjects.has(values.subjectId as string)) {
    missingReference(problems, 'Subject identifier', values.subjectId as string, ctx, 'NAT00060');
  }
  checkProgram(data, problems, values.programId as string, ctx);
  if (data.locations) checkLocation(data.locations, problems, values.toid as string, values.locationId as string, ctx);
}

const LOCATION_PAIR = 'Training organisation identifier + Training organisation delivery location identifier';

/**
 * NAT00020 is keyed by the pair (C.1): an activity's delivery location must be listed under its
 * own training organisation. The problem names both ids, and what NAT00020 does list, since the
 * usual cause is one of the two being wrong (a second RTO code, a renamed campus).
 */
function checkLocation(
  locations: ReadonlyMap<string, ReadonlySet<string>>,
  problems: SmsProblemList,
  toid: string,
  locationId: string,
  ctx: RecordContext,
): void {
  const toids = locations.get(locationId);
  if (toids?.has(toid)) return;
  const listed = toids
    ? `NAT00020 lists delivery location ${locationId} only under training organisation ${[...toids].slice(0, 5).join(', ')}`
    : `NAT00020 has no delivery location ${locationId} at all`;
  problems.add('reference', 'The training organisation and delivery location pair is not in NAT00020', {
    ...ctx,
    field: LOCATION_PAIR,
    expected: `a training organisation + delivery location pair listed in NAT00020 (${listed})`,
    found: `training organisation ${toid}, delivery location ${locationId}`,
  });
}

function checkProgram(data: ReferenceData, problems: SmsProblemList, programId: string, ctx: RecordContext): void {
  if (programId !== '' && (data.has('NAT00030') || data.has('NAT00030A')) && !data.programs.has(programId)) {
    missingReference(problems, 'Program identifier', programId, ctx, 'NAT00030/NAT00030A');
  }
}
