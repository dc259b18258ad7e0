import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SmsImportError, SmsProblemList, type SmsAdapter, type SmsImportResult, type SmsSource } from '../../contract';
import { isoToday, mergeRollChunk } from './chunk';
import { CountCheck } from './counts';
import { kamarDescription } from './description';
import { parseEnvelope, parseJsonText, type KamarMessage } from './envelope';
import { DEFAULT_MAX_BODY_BYTES } from './receiver';
import { RollState } from './roll';
import { WarningSink } from './warnings';

export interface KamarAdapterOptions {
  includeFormClasses?: boolean;
  /** Per saved message, as the receiver's limit. Default 50 MB. */
  maxMessageBytes?: number;
}

/**
 * Reads a recorded sequence of KAMAR pushes (what the receiver got, saved for `classbridge check`):
 * `payloads` are the messages in arrival order (parsed JSON, JSON text or bytes); a `path` is one
 * saved message, a JSON array of messages, or a folder of `*.json` messages read in name order.
 * Consecutive chunks of one sync type are one sync; a `part` is applied onto the full roll before it.
 */
export function createKamarAdapter(options: KamarAdapterOptions = {}): SmsAdapter {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    describe: () => kamarDescription(),
    async import(source: SmsSource): Promise<SmsImportResult> {
      const messages =
        source.kind === 'payloads' ? fromPayloads(source.payloads) : await fromPath(source.path, maxBytes);
      return replay(messages, options.includeFormClasses ?? false);
    },
  };
}

function fromPayloads(payloads: readonly unknown[]): KamarMessage[] {
  return payloads.map((payload, index) => {
    const file = `payload ${index + 1}`;
    if (typeof payload === 'string') return parseEnvelope(parseJsonText(payload, file), file);
    if (payload instanceof Uint8Array) return parseEnvelope(parseJsonText(decodeUtf8(payload, file), file), file);
    return parseEnvelope(payload, file);
  });
}

async function fromPath(path: string, maxBytes: number): Promise<KamarMessage[]> {
  const info = await stat(path).catch(() => {
    throw new SmsImportError('missing', 'The saved KAMAR push was not found', { file: path });
  });
  const files = info.isDirectory()
    ? (await readdir(path))
        .filter((name) => name.toLowerCase().endsWith('.json'))
        .sort()
        .map((name) => join(path, name))
    : [path];
  const messages: KamarMessage[] = [];
  for (const file of files) {
    const size = (await stat(file)).size;
    if (size > maxBytes) {
      throw new SmsImportError('too-large', 'A saved KAMAR message is over the size limit', {
        file: basename(file),
        expected: `at most ${maxBytes} bytes`,
        found: `${size} bytes`,
      });
    }
    const json = parseJsonText(decodeUtf8(await readFile(file), basename(file)), basename(file));
    const list = Array.isArray(json) ? json : [json];
    list.forEach((item, index) => {
      const name = list.length > 1 ? `${basename(file)} message ${index + 1}` : basename(file);
      messages.push(parseEnvelope(item, name));
    });
  }
  return messages;
}

function replay(messages: readonly KamarMessage[], includeFormClasses: boolean): SmsImportResult {
  const warnings = new WarningSink();
  // Record problems of every message are collected, so one check lists up to 100 of them.
  const problems = new SmsProblemList();
  const chunkOptions = { includeFormClasses, today: isoToday };
  let roll: RollState | undefined;
  let run: { sync: 'full' | 'part'; state: RollState; file: string; counts: CountCheck } | undefined;
  let version: string | undefined;
  const endRun = (): void => {
    if (!run) return;
    // The same count check as a push (counts.ts): a saved push that was cut short is refused offline too.
    const counts = problems.size === 0 ? run.counts.incomplete((key) => run?.state.distinct(key) ?? 0) : undefined;
    if (counts) problems.add('missing', counts.message, counts.where);
    if (run.sync === 'full') roll = run.state;
    else if (roll) roll = roll.withDelta(run.state);
    else {
      problems.add('missing', 'A part sync needs the full sync before it', {
        file: run.file,
        field: 'SMSDirectoryData.sync',
        expected: 'a full sync first',
        found: 'part',
      });
    }
    run = undefined;
  };
  for (const message of messages) {
    if (message.version) version = message.version;
    if (message.sync !== 'full' && message.sync !== 'part') {
      if (message.sync !== 'check') {
        warnings.add({ message: `skipped KAMAR "${message.sync}" message: not used`, file: message.file });
      }
      continue;
    }
    if (run?.sync !== message.sync) {
      endRun();
      run = { sync: message.sync, state: new RollState(), file: message.file, counts: new CountCheck() };
    }
    run.counts.add(mergeRollChunk(message, run.state, warnings, chunkOptions, problems), message.file);
  }
  endRun();
  problems.throwIfAny();
  if (!roll) throw new SmsImportError('empty', 'No full or part sync in the KAMAR messages', {});
  return { snapshot: roll.toSnapshot(), warnings: warnings.list(), description: kamarDescription(version) };
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SmsImportError('encoding', 'The message is not UTF-8 text', { file, expected: 'UTF-8' });
  }
}
