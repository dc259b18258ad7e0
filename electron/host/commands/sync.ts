import type { ApiOutput } from '../../core/contract/contract';
import { PARTS, type Part } from '../../core/model';
import { runPart, type PartOutcome } from '../../core/sync/run-part';
import { heldPlanHint } from './held';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

const UPLOAD_TARGETS = new Set(['upload', 'profiles', 'courses', 'enrolments']);
const PART_OF_TARGET: Partial<Record<string, Part>> = {
  upload: 'enrolments',
  enrolments: 'enrolments',
  profiles: 'profiles',
  courses: 'courses',
  download: 'results',
  results: 'results',
  'course-tracking': 'course-tracking',
  reconcile: 'reconcile',
};
const TARGETS = ['upload', 'download', ...PARTS];

/**
 * `classbridge sync <part> [--dry-run]`: runs a part (the upload or one of its parts, the download,
 * the course list, reconcile) for every LMS connection once, recorded as runs like scheduled ones;
 * --dry-run previews an upload. An upload or reconcile while another process writes to the same LMS
 * is turned away (exit 1, naming that process), or with `wait` runs once that process is done.
 */
export async function syncCommand(
  dataDir: string,
  target: string,
  options: { dryRun?: boolean; once?: boolean; wait?: boolean },
  out: Output,
): Promise<void> {
  if (!TARGETS.includes(target)) throw new UsageError(`Unknown part "${target}". Use one of: ${TARGETS.join(', ')}.`);
  const part = PART_OF_TARGET[target];
  if (!part) throw new CommandFailed(`Running "${target}" is not available in this version yet.`);
  if (!options.dryRun) return runForEveryLms(dataDir, part, out, options.wait === true);
  if (!UPLOAD_TARGETS.has(target))
    throw new UsageError('--dry-run previews an upload (upload, profiles, courses, enrolments).');
  await withEngine(dataDir, async (engine) => {
    const connections = engine.store.connections.list().filter((c) => c.kind === 'lms');
    if (connections.length === 0)
      throw new CommandFailed('No LMS connection is configured (see `classbridge config import`).');
    const previews: ApiOutput<'sync:preview'>[] = [];
    for (const connection of connections)
      previews.push(await callApi(engine, 'sync:preview', { connectionId: connection.id }));
    out.result(previews, () => {
      for (const [i, p] of previews.entries()) {
        out.line(`${connections[i]?.name ?? p.connectionId}: ${p.summary}`);
        for (const w of p.warnings ?? []) out.line(`  WARNING: ${w}`);
        if (p.removals.held) {
          out.line(`  HELD for approval: ${p.removals.message ?? ''}`);
          out.line(
            '  Running it holds it: then approve with `classbridge held approve <id>` (see `classbridge held list`) or on the dashboard.',
          );
        }
        for (const e of p.errors.slice(0, 10))
          out.line(`  cannot plan ${e.recordKind} ${e.recordKey}: ${e.message} — ${e.fix}`);
        if (p.errors.length > 10) out.line(`  … and ${p.errors.length - 10} more planning errors (use --json).`);
      }
      out.line('Dry run: nothing was changed.');
    });
  });
}

/**
 * Runs one part for every LMS connection, one after another. Exit 1 unless every run is ok: a held
 * upload waits for the admin, and a partial one left records unsynced (a script must notice both).
 */
async function runForEveryLms(dataDir: string, part: Part, out: Output, wait: boolean): Promise<void> {
  const results = await withEngine(dataDir, async (engine) => {
    const connections = engine.store.connections.list().filter((c) => c.kind === 'lms');
    if (connections.length === 0)
      throw new CommandFailed('No LMS connection is configured (see `classbridge config import`).');
    const deps = { store: engine.store, secrets: engine.secrets, logger: engine.logger, dataDir };
    const done: RunReport[] = [];
    for (const connection of connections) {
      const result = await runPart(deps, connection.id, part, 'manual', {
        whenBusy: wait ? 'wait' : 'give-up',
        onWaiting: (message) => out.line(`${connection.name}: waiting — ${message}`),
      });
      const run = engine.store.runs.last(connection.id, part);
      // The run diagnosed its own failure (site info names what the token may no longer call):
      // print that, not the LMS's raw error, which lists every possible cause.
      const cause = result.outcome === 'failed' && run ? engine.store.runs.connectionError(run.id) : undefined;
      const held =
        result.outcome === 'held'
          ? engine.store.heldPlans.list({ connectionId: connection.id, states: ['pending'] })[0]
          : undefined;
      done.push({
        connection: connection.name,
        connectionId: connection.id,
        ...result,
        ...(run?.counts.failed ? { failed: run.counts.failed } : {}),
        ...(cause ? { cause: { summary: cause.message, fix: cause.fix } } : {}),
        ...(held ? { heldPlanId: held.id } : {}),
      });
    }
    return done;
  });
  out.result(results, () => {
    for (const r of results) {
      out.line(`${r.connection}: ${r.outcome} — ${r.cause?.summary ?? r.message}`);
      if (r.cause?.fix) out.line(`  fix: ${r.cause.fix}`);
      if (r.outcome === 'busy') out.line('  Wait for it to finish, then run this again.');
      if (r.outcome === 'held')
        out.line(
          `  ${r.heldPlanId !== undefined ? heldPlanHint(r.heldPlanId) : "Review it with `classbridge held list` (or on the app's dashboard)."}`,
        );
      if (r.outcome === 'partial')
        out.line(
          `  ${r.failed ? `${r.failed} ${r.failed === 1 ? 'record' : 'records'} did not sync` : 'Not every record synced'}: see \`classbridge errors list\` for each one and its fix.`,
        );
    }
  });
  const bad = results.filter((r) => r.outcome !== 'ok');
  if (bad.length > 0) throw new CommandFailed(`${bad.length} run(s) did not complete`, { reported: true });
}

interface RunReport {
  connection: string;
  connectionId: string;
  outcome: string;
  message: string;
  /** Records that did not sync (failed in the LMS, or could not be planned). */
  failed?: number;
  /** Why a failed run failed, as diagnosed when it stopped (the Errors page shows the same). */
  cause?: { summary: string; fix: string };
  /** The plan waiting for the admin, when the upload was held. */
  heldPlanId?: number;
  /** The process writing to this LMS, when the run was turned away as busy. */
  holder?: PartOutcome['holder'];
}
