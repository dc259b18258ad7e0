import type { ApiOutput } from '../../core/api/contract';
import { createLmsAdapter } from '../../core/lms/lms-adapter-factory';
import { PARTS, type LmsConnection } from '../../core/model';
import { runUpload, type UploadPart } from '../../core/sync/apply';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

const UPLOAD_TARGETS = new Set(['upload', 'profiles', 'courses', 'enrolments']);
const PART_OF_TARGET: Record<string, UploadPart> = {
  upload: 'enrolments',
  enrolments: 'enrolments',
  profiles: 'profiles',
  courses: 'courses',
};
const TARGETS = ['upload', 'download', ...PARTS];

/**
 * `classbridge sync <part> [--dry-run]`: previews or runs the upload (or one of its parts) to every
 * LMS connection, once. Download, course tracking and reconcile from the command line arrive with the
 * rest of the sync engine; until then the command says so instead of pretending.
 */
export async function syncCommand(
  dataDir: string,
  target: string,
  options: { dryRun?: boolean; once?: boolean },
  out: Output,
): Promise<void> {
  if (!TARGETS.includes(target)) throw new UsageError(`Unknown part "${target}". Use one of: ${TARGETS.join(', ')}.`);
  if (!UPLOAD_TARGETS.has(target)) {
    throw new CommandFailed(
      `Running "${target}" from the command line is not available in this version yet. ` +
        'Upload works: `classbridge sync upload` (or --dry-run to preview it).',
    );
  }
  if (!options.dryRun) return runUploads(dataDir, PART_OF_TARGET[target] ?? 'enrolments', out);
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

/** Runs the upload to every LMS connection, one after another; exit 1 when any is held or failed. */
async function runUploads(dataDir: string, part: UploadPart, out: Output): Promise<void> {
  const results = await withEngine(dataDir, async (engine) => {
    const connections = engine.store.connections.list().filter((c): c is LmsConnection => c.kind === 'lms');
    if (connections.length === 0)
      throw new CommandFailed('No LMS connection is configured (see `classbridge config import`).');
    const settings = engine.store.settings.get();
    const done: { connection: string; outcome: string; message: string; errorKind?: string }[] = [];
    for (const connection of connections) {
      const token = await engine.secrets.get(connection.id, 'token');
      if (!token) {
        done.push({
          connection: connection.name,
          outcome: 'failed',
          message: `No web-service token is stored: printf %s "$TOKEN" | classbridge secret set ${connection.id} token`,
        });
        continue;
      }
      const adapter = createLmsAdapter(connection, token, engine.logger);
      const result = await runUpload({
        adapter,
        store: engine.store,
        connection,
        settings,
        trigger: 'manual',
        part,
        logger: engine.logger,
      });
      done.push({
        connection: connection.name,
        outcome: result.outcome,
        message: result.message,
        ...(result.error ? { errorKind: result.error.kind } : {}),
      });
    }
    return done;
  });
  out.result(results, () => {
    for (const r of results) out.line(`${r.connection}: ${r.outcome} — ${r.message}`);
  });
  const bad = results.filter((r) => r.outcome === 'held' || r.outcome === 'failed');
  if (bad.length > 0) throw new CommandFailed(`${bad.length} upload(s) did not complete`, { reported: true });
}
