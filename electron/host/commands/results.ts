import type { ApiInput } from '../../core/contract/contract';
import { ResultReviewReasonSchema, type ResultDecision } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

export interface ResultsListOptions {
  connection?: string;
  reason?: string;
}

function reasonsOf(reason: string | undefined): ApiInput<'results:pending'>['reasons'] {
  if (reason === undefined) return undefined;
  const parsed = ResultReviewReasonSchema.safeParse(reason);
  if (!parsed.success)
    throw new UsageError(
      `"${reason}" is not a reason: use review, margin or conflict (\`classbridge results list --reason margin\`).`,
    );
  return [parsed.data];
}

/** `classbridge results list`: the results waiting for a person before they are written (docs/results.md). */
export async function resultsListCommand(dataDir: string, options: ResultsListOptions, out: Output): Promise<void> {
  const reasons = reasonsOf(options.reason);
  const rows = await withEngine(dataDir, (engine) =>
    callApi(engine, 'results:pending', {
      ...(options.connection ? { connectionId: options.connection } : {}),
      ...(reasons ? { reasons } : {}),
    }),
  );
  out.result(rows, () => {
    if (rows.length === 0) {
      out.line('No result waits for a person: changed results are written on each results run.');
      return;
    }
    for (const r of rows) {
      const who = r.personName ? `${r.personName} (${r.personSmsId})` : r.personSmsId;
      out.line(
        `${r.lmsCourseId}:${r.personSmsId}  ${r.reason.padEnd(8)}  ${r.state.padEnd(7)}  ${who} in ${r.course}: SMS ${r.smsValue ?? '–'} → ${r.newValue ?? '–'} (${r.detail.why})`,
      );
    }
    out.line(
      `${rows.length} waiting. Decide with \`classbridge results accept|hold|keep-sms <course:person>… | --all\`.`,
    );
  });
}

/**
 * `classbridge results accept|hold|keep-sms [<lms-course-id>:<sms-person-id>…] [--all] [--connection <id>]
 * [--reason <reason>]`: the admin's decision; accepted results are written on the next results run.
 */
export async function resultsDecideCommand(
  dataDir: string,
  decision: ResultDecision,
  records: readonly string[],
  options: ResultsListOptions & { all?: boolean },
  out: Output,
): Promise<void> {
  if (!options.all && records.length === 0)
    throw new UsageError(
      'Name the results (`<lms-course-id>:<sms-person-id>`, as `results list` shows them) or give --all.',
    );
  const reasons = reasonsOf(options.reason);
  const parsed = records.map((key) => {
    const match = /^(\d+):(.+)$/.exec(key.trim());
    if (!match) throw new UsageError(`"${key}" is not <lms-course-id>:<sms-person-id> (for example 12:S1042).`);
    return { lmsCourseId: Number(match[1]), personSmsId: match[2]! };
  });
  const answer = await withEngine(dataDir, async (engine) => {
    let connectionId = options.connection;
    if (!options.all && connectionId === undefined) {
      const lms = (await callApi(engine, 'connections:list', {})).filter((c) => c.kind === 'lms');
      if (lms.length === 0) throw new CommandFailed('No LMS connection is set up yet: no result waits for a person.');
      if (lms.length > 1)
        throw new UsageError(
          `Results are kept per LMS connection: give --connection (one of ${lms.map((c) => c.id).join(', ')}).`,
        );
      connectionId = lms[0]!.id;
    }
    const keys = parsed.map((k) => ({ connectionId: connectionId!, ...k }));
    return callApi(engine, 'results:decide', {
      decision,
      ...(options.all ? { all: true } : { records: keys }),
      ...(options.connection ? { connectionId: options.connection } : {}),
      ...(reasons ? { reasons } : {}),
    });
  });
  out.result(answer, () => out.line(answer.message));
}
