import type { Engine } from '../../core/engine/engine';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

type Kind = 'person' | 'course';

function parseKind(kind: string): Kind {
  if (kind === 'person' || kind === 'course') return kind;
  throw new UsageError(
    `"${kind}" is neither person nor course: \`classbridge leave-alone add person|course <sms-id>\`.`,
  );
}

/** The LMS connection a mark is for: the one given, or the only one there is. */
async function lmsConnection(engine: Engine, given: string | undefined): Promise<string> {
  const lms = (await callApi(engine, 'connections:list', {})).filter((c) => c.kind === 'lms');
  if (given !== undefined) {
    if (!lms.some((c) => c.id === given))
      throw new CommandFailed(
        `There is no LMS connection "${given}". LMS connections: ${lms.map((c) => c.id).join(', ') || 'none'}.`,
      );
    return given;
  }
  if (lms.length === 1) return lms[0]!.id;
  throw new CommandFailed(
    lms.length === 0
      ? 'No LMS connection is set up yet: marks are kept per LMS connection.'
      : `Marks are kept per LMS connection: give --connection (one of ${lms.map((c) => c.id).join(', ')}).`,
  );
}

/** `classbridge leave-alone list [--connection <id>]`: the people and courses ClassBridge does not touch. */
export async function leaveAloneListCommand(dataDir: string, options: { connection?: string }, out: Output) {
  const marks = await withEngine(dataDir, (engine) =>
    callApi(engine, 'leaveAlone:list', options.connection ? { connectionId: options.connection } : {}),
  );
  out.result(marks, () => {
    if (marks.length === 0) {
      out.line('Nothing is left alone: ClassBridge syncs every person and course the SMS has.');
      return;
    }
    for (const m of marks) {
      const name = m.label ?? '(not in the current SMS export)';
      out.line(
        `${m.connectionId}  ${m.kind.padEnd(6)}  ${m.smsId}  ${name} — since ${m.createdAt.slice(0, 10)}${m.note ? ` — ${m.note}` : ''}`,
      );
    }
  });
}

/**
 * `classbridge leave-alone add|remove person|course <sms-id> [--connection <id>] [--note <text>]`: marks
 * a record "ClassBridge does not touch this" (upload and reconcile), or lifts the mark.
 */
export async function leaveAloneSetCommand(
  dataDir: string,
  on: boolean,
  kind: string,
  smsId: string,
  options: { connection?: string; note?: string },
  out: Output,
): Promise<void> {
  const k = parseKind(kind);
  const answer = await withEngine(dataDir, async (engine) =>
    callApi(engine, 'leaveAlone:set', {
      connectionId: await lmsConnection(engine, options.connection),
      kind: k,
      smsId,
      on,
      ...(options.note !== undefined ? { note: options.note } : {}),
    }),
  );
  out.result(answer, () => out.line(answer.message));
}
