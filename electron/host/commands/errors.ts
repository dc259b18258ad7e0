import { PARTS, PARTS_BEFORE_016, type Part } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

export interface ErrorsListOptions {
  part?: string;
  connection?: string;
  all?: boolean;
}

function parsePart(value: string | undefined): Part | undefined {
  if (value === undefined) return undefined;
  // Scripts written before the upload became one part name one of its record kinds: that is the upload.
  if ((PARTS_BEFORE_016 as readonly string[]).includes(value)) return 'upload';
  const part = PARTS.find((p) => p === value);
  if (!part) throw new UsageError(`Unknown part "${value}". Use one of: ${PARTS.join(', ')}.`);
  return part;
}

/** `classbridge errors list`: the records that did not sync, with what the LMS said and the fix. */
export async function errorsListCommand(dataDir: string, options: ErrorsListOptions, out: Output): Promise<void> {
  const part = parsePart(options.part);
  const errors = await withEngine(dataDir, (engine) =>
    callApi(engine, 'errors:list', {
      ...(part ? { part } : {}),
      ...(options.connection ? { connectionId: options.connection } : {}),
      ...(options.all ? { includeResolved: true } : {}),
    }),
  );
  out.result(errors, () => {
    if (errors.length === 0) {
      out.line(options.all ? 'No sync errors recorded.' : 'No open sync errors.');
      return;
    }
    for (const e of errors) {
      const course = e.course ? ` in ${e.course}` : '';
      const resolved = e.resolvedAt ? ` (resolved ${e.resolvedAt})` : '';
      out.line(`${e.id}  ${e.part}  ${e.recordKind} ${e.recordKey}${course}${resolved}: ${e.message}`);
      out.line(`    fix: ${e.fix}`);
    }
    out.line(
      `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}. After fixing the cause, send a record that failed to upload again with \`classbridge errors retry <id>\`; the next run of its part retries every one.`,
    );
  });
}

/** `classbridge errors retry <id>`: the Errors page's Retry — one record's upload, run now in this process. */
export async function errorsRetryCommand(dataDir: string, id: number, out: Output): Promise<void> {
  const answer = await withEngine(dataDir, async (engine) => {
    const known = (await callApi(engine, 'errors:list', { includeResolved: true })).find((e) => e.id === id);
    if (!known) {
      throw new CommandFailed(
        `There is no sync error ${id}. See \`classbridge errors list\` for the open ones and their ids.`,
      );
    }
    const retried = await callApi(engine, 'errors:retry', { id });
    const again =
      retried.openErrorId !== undefined
        ? (await callApi(engine, 'errors:list', { part: known.part })).find((e) => e.id === retried.openErrorId)
        : undefined;
    return again ? { ...retried, openError: again } : retried;
  });
  out.result(answer, () => {
    if (answer.resolved) {
      out.line(`Error ${id} is resolved: ${answer.message}`);
      return;
    }
    const again = 'openError' in answer ? answer.openError : undefined;
    out.line(`Error ${id}: the record still does not sync (${answer.outcome}).`);
    if (again) {
      out.line(`  ${again.message}`);
      out.line(`  fix: ${again.fix}`);
      if (again.id !== id) out.line(`  It is now error ${again.id}.`);
    } else out.line(`  ${answer.message}`);
  });
  if (!answer.resolved) throw new CommandFailed(`Error ${id} is still open.`, { reported: true });
}
