import { createHash } from 'node:crypto';
import { ROLL_KEYS } from './chunk';
import type { KamarMessage } from './envelope';
import { CAREGIVER_FIELDS } from './caregivers';
import { isObject, type JsonObject } from './fields';
import type { RollSync } from './sessions';

/**
 * Where the receiver keeps every chunk it answered "OK" to, until its push has ended (stored or
 * recorded as refused). KAMAR never sends an answered chunk again, so a chunk held only in memory is
 * lost when the app stops inside the quiet period; written here first, it is picked up on the next
 * start. The app implements it (SQLite); `append` must be durable when it returns, because KAMAR is
 * answered right after.
 */
export interface KamarSpool {
  /** Stores one accepted chunk in one transaction. */
  append(chunk: SpooledChunk): void;
  /** The run can no longer end as a snapshot: the next start records it as refused, with the reason. */
  markFailed(run: { runId: string; sync: RollSync; reason: string }): void;
  /** Every run not yet ended, oldest first, its chunks in the order they arrived. */
  runs(): SpooledRun[];
  /** The run ended (stored, or recorded as refused): its chunks are no longer needed. */
  remove(runId: string): void;
}

export interface SpooledChunk {
  runId: string;
  sync: RollSync;
  /** 1-based, in arrival order. */
  index: number;
  /** When the receiver accepted it (ms since the epoch): the quiet period counts from the last one. */
  receivedAt: number;
  /** SHA-256 of `body`: a chunk KAMAR sends again is recognised and kept once. */
  digest: string;
  /** The chunk as JSON, cut to what the roll needs (spoolForm). */
  body: string;
}

export interface SpooledRun {
  runId: string;
  sync: RollSync;
  failedReason?: string;
  chunks: Array<Pick<SpooledChunk, 'index' | 'receivedAt' | 'digest' | 'body'>>;
}

// What records.ts reads, by payload key (field names are matched case-insensitively there too).
// Everything else KAMAR sends (photos, passwords, caregivers, addresses, …) is never written.
const PERSON_FIELDS = new Set([
  'id',
  'firstname',
  'forenames',
  'lastname',
  'email',
  'username',
  'leavingdate',
  'nsn',
  'uniqueid',
  'tutor',
  'yearlevel',
  'title',
  'classification',
  'accountdisabled',
  'groups',
]);
const PERSON_AND_CAREGIVERS = new Set([...PERSON_FIELDS, 'caregivers']);
const GROUP_FIELDS = new Set(['type', 'subject', 'coreoption']);
const SUBJECT_FIELDS = new Set(['id', 'name']);
const ENVELOPE_FIELDS = new Set(['sync', 'datetime', 'version']);

/**
 * The message cut to what the roll needs, as the receiver both merges and spools it, so a chunk
 * replayed from the spool after a restart merges exactly as it did live. Shapes it does not know
 * (a record that is not an object) are kept as they are, so the parser still names the problem.
 */
export function spoolForm(
  message: KamarMessage,
  /** Keep students' caregivers, cut to CAREGIVER_FIELDS (only while a parents rule is on: caregivers.ts). */
  caregivers = false,
): { message: KamarMessage; body: string; digest: string } {
  const body: JsonObject = pick(message.body, ENVELOPE_FIELDS);
  for (const key of ROLL_KEYS) {
    const blockKey = Object.keys(message.body).find((k) => k.toLowerCase() === key);
    if (blockKey === undefined) continue;
    const block = message.body[blockKey];
    if (!isObject(block)) {
      body[blockKey] = block;
      continue;
    }
    const kept = pick(block, new Set(['count', 'data']));
    const data = Object.keys(kept).find((k) => k.toLowerCase() === 'data');
    if (data !== undefined && Array.isArray(kept[data])) {
      kept[data] = (kept[data] as unknown[]).map((record) =>
        pruneRecord(record, key === 'subjects', caregivers && key === 'students'),
      );
    }
    body[blockKey] = kept;
  }
  const text = JSON.stringify({ SMSDirectoryData: body });
  return {
    message: { ...message, body },
    body: text,
    digest: createHash('sha256').update(text).digest('hex'),
  };
}

function pruneRecord(record: unknown, subject: boolean, caregivers = false): unknown {
  if (!isObject(record)) return record;
  const kept = pick(record, subject ? SUBJECT_FIELDS : caregivers ? PERSON_AND_CAREGIVERS : PERSON_FIELDS);
  const cg = caregivers ? Object.keys(kept).find((k) => k.toLowerCase() === 'caregivers') : undefined;
  if (cg !== undefined && Array.isArray(kept[cg])) {
    kept[cg] = (kept[cg] as unknown[]).map((c) => (isObject(c) ? pick(c, CAREGIVER_FIELDS) : c));
  }
  const groups = Object.keys(kept).find((k) => k.toLowerCase() === 'groups');
  if (groups !== undefined && Array.isArray(kept[groups])) {
    kept[groups] = (kept[groups] as unknown[]).map((g) => (isObject(g) ? pick(g, GROUP_FIELDS) : g));
  }
  return kept;
}

function pick(source: JsonObject, names: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) if (names.has(key.toLowerCase())) out[key] = value;
  return out;
}
