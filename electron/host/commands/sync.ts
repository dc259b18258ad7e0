import type { ApiOutput } from '../../core/api/contract';
import { PARTS } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

const UPLOAD_TARGETS = new Set(['upload', 'profiles', 'courses', 'enrolments']);
const TARGETS = ['upload', 'download', ...PARTS];

/**
 * `classbridge sync <part> --dry-run`: previews the next upload to every LMS connection. Applying
 * a sync (and download, course tracking and reconcile runs) arrives with the sync engine; until
 * then the command says so instead of pretending.
 */
export async function syncCommand(
  dataDir: string,
  target: string,
  options: { dryRun?: boolean; once?: boolean },
  out: Output,
): Promise<void> {
  if (!TARGETS.includes(target)) throw new UsageError(`Unknown part "${target}". Use one of: ${TARGETS.join(', ')}.`);
  if (!options.dryRun || !UPLOAD_TARGETS.has(target)) {
    throw new CommandFailed(
      `Running "${target}" is not available in this version yet: the sync engine that applies plans is being built. ` +
        'Use `classbridge sync upload --dry-run` to see what the next upload would do.',
    );
  }
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
