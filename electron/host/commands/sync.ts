import type { ApiOutput } from '../../core/api/contract';
import { PARTS, type Part } from '../../core/model';
import { runPart } from '../../core/sync/run-part';
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
 * --dry-run previews an upload.
 */
export async function syncCommand(
  dataDir: string,
  target: string,
  options: { dryRun?: boolean; once?: boolean },
  out: Output,
): Promise<void> {
  if (!TARGETS.includes(target)) throw new UsageError(`Unknown part "${target}". Use one of: ${TARGETS.join(', ')}.`);
  const part = PART_OF_TARGET[target];
  if (!part) throw new CommandFailed(`Running "${target}" is not available in this version yet.`);
  if (!options.dryRun) return runForEveryLms(dataDir, part, out);
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
        if (p.removals.held) out.line(`  HELD for approval: ${p.removals.message ?? ''}`);
        for (const e of p.errors.slice(0, 10))
          out.line(`  cannot plan ${e.recordKind} ${e.recordKey}: ${e.message} — ${e.fix}`);
        if (p.errors.length > 10) out.line(`  … and ${p.errors.length - 10} more planning errors (use --json).`);
      }
      out.line('Dry run: nothing was changed.');
    });
  });
}

/** Runs one part for every LMS connection, one after another; exit 1 when any is held or failed. */
async function runForEveryLms(dataDir: string, part: Part, out: Output): Promise<void> {
  const results = await withEngine(dataDir, async (engine) => {
    const connections = engine.store.connections.list().filter((c) => c.kind === 'lms');
    if (connections.length === 0)
      throw new CommandFailed('No LMS connection is configured (see `classbridge config import`).');
    const deps = { store: engine.store, secrets: engine.secrets, logger: engine.logger, dataDir };
    const done: { connection: string; outcome: string; message: string }[] = [];
    for (const connection of connections) {
      const result = await runPart(deps, connection.id, part, 'manual');
      done.push({ connection: connection.name, ...result });
    }
    return done;
  });
  out.result(results, () => {
    for (const r of results) out.line(`${r.connection}: ${r.outcome} — ${r.message}`);
  });
  const bad = results.filter((r) => r.outcome === 'held' || r.outcome === 'failed');
  if (bad.length > 0) throw new CommandFailed(`${bad.length} run(s) did not complete`, { reported: true });
}
