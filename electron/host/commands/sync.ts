import { apiEvents, type ApiOutput } from '../../core/contract/contract';
import { UPLOAD_KINDS, type SyncTarget, type UploadKind } from '../../core/model';
import { heldPlanHint } from './held';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';
import { recordLines } from './record-lines';

/** What `classbridge sync <target>` runs: an Api "run now" target, and for an upload maybe one kind of record. */
const RUN_OF_TARGET: Record<string, { target: SyncTarget; only?: UploadKind }> = {
  upload: { target: 'upload' },
  ...Object.fromEntries(UPLOAD_KINDS.map((kind) => [kind, { target: 'upload', only: kind }])),
  download: { target: 'download' },
  results: { target: 'download' },
  'course-tracking': { target: 'course-tracking' },
  reconcile: { target: 'reconcile' },
};
const UPLOAD_TARGETS = new Set(['upload', ...UPLOAD_KINDS]);
const TARGETS = Object.keys(RUN_OF_TARGET);

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
  const run = RUN_OF_TARGET[target];
  if (!run) throw new UsageError(`Unknown part "${target}". Use one of: ${TARGETS.join(', ')}.`);
  if (!options.dryRun) return runForEveryLms(dataDir, run, out, options.wait === true);
  if (!UPLOAD_TARGETS.has(target))
    throw new UsageError('--dry-run previews an upload (upload, profiles, courses, enrolments).');
  await withEngine(dataDir, async (engine) => {
    const connections = (await callApi(engine, 'connections:list', {})).filter((c) => c.kind === 'lms');
    if (connections.length === 0)
      throw new CommandFailed('No LMS connection is configured (see `classbridge config import`).');
    const previews: ApiOutput<'sync:preview'>[] = [];
    for (const connection of connections)
      previews.push(await callApi(engine, 'sync:preview', { connectionId: connection.id }));
    out.result(previews, () => {
      for (const [i, p] of previews.entries()) {
        out.line(`${connections[i]?.name ?? p.connectionId}: ${p.summary}`);
        for (const w of p.warnings ?? []) out.line(`  WARNING: ${w}`);
        if (p.names) out.line('  Names from the templates (first records):');
        for (const e of p.names ?? []) {
          const values = Object.entries(e.values).map(([k, v]) => `${k} ${v}`);
          out.line(`    ${e.name} (${e.key}) → ${e.error ?? values.join(', ')}`);
        }
        if (p.categories) out.line('  Categories for new courses (first courses):');
        for (const c of p.categories ?? [])
          out.line(`    ${c.name} (${c.key}) → category ${c.categoryId} (${c.because})`);
        if (p.courseTemplates) out.line('  New courses copied from a template (first courses):');
        for (const c of p.courseTemplates ?? [])
          out.line(`    ${c.name} (${c.key}) → copy of LMS course ${c.templateCourseId} (${c.because})`);
        if (p.accounts) {
          out.line(`  New accounts sign in with: ${p.accounts.signIn}`);
          const withFields = p.accounts.people.some((a) => Object.keys(a.fields).length > 0);
          if (withFields) out.line('  Profile fields (first people):');
          for (const a of withFields ? p.accounts.people : []) {
            const values = Object.entries(a.fields).map(([k, v]) => `${k} ${v}`);
            out.line(`    ${a.name} (${a.key}) → ${values.join(', ') || 'none (no value in the SMS)'}`);
          }
        }
        if (p.lifecycle?.pause) out.line(`  Removals held: ${p.lifecycle.pause.label}.`);
        for (const c of p.lifecycle?.closing ?? [])
          out.line(`  Closes ${c.code}: ${c.reason}${c.hide ? ' Hidden in the LMS (ClassBridge created it).' : ''}`);
        if (p.removals.held) {
          out.line(`  HELD for approval: ${p.removals.message ?? ''}`);
          out.line(
            '  Running it holds it: then approve with `classbridge held approve <id>` (see `classbridge held list`) or on the dashboard.',
          );
        }
        for (const line of recordLines(p.records)) out.line(line);
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
async function runForEveryLms(
  dataDir: string,
  run: { target: SyncTarget; only?: UploadKind },
  out: Output,
  wait: boolean,
): Promise<void> {
  const results = await withEngine(dataDir, async (engine) => {
    const connections = (await callApi(engine, 'connections:list', {})).filter((c) => c.kind === 'lms');
    if (connections.length === 0)
      throw new CommandFailed('No LMS connection is configured (see `classbridge config import`).');
    const names = new Map(connections.map((c) => [c.id, c.name] as const));
    const waiting = (event: string, payload: unknown): void => {
      if (event !== 'sync:waiting') return;
      const { connectionId, message } = apiEvents['sync:waiting'].parse(payload);
      out.line(`${names.get(connectionId) ?? connectionId}: waiting — ${message}`);
    };
    engine.events.on('event', waiting);
    try {
      // Through the Api, as the app's "Upload now" is: one connection after another.
      const done: RunReport[] = [];
      for (const connection of connections) {
        const [result] = await callApi(engine, 'sync:runNow', {
          target: run.target,
          connectionId: connection.id,
          ...(run.only ? { only: run.only } : {}),
          ifBusy: wait ? 'wait' : 'give-up',
        });
        if (result) done.push({ connection: connection.name, ...result });
      }
      return done;
    } finally {
      engine.events.off('event', waiting);
    }
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

/** One LMS's answer to the run, with its name for the terminal. */
type RunReport = ApiOutput<'sync:runNow'>[number] & { connection: string };
