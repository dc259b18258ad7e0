import { PART_LABELS } from '../../core/model';
import type { Status } from '../../core/contract/contract';
import { heldPlanHint } from './held';
import type { Output } from './output';
import { callApi, withEngine } from './with-engine';

const HEALTH_WORDS = {
  'never-run': 'never run',
  ok: 'OK',
  running: 'running',
  warning: 'needs attention',
  problem: 'PROBLEM',
};

/** "OneRoster SIS export …, imported 2026-12-02T…: 230 people, 20 courses, 20 classes, 880 enrolments" */
function describeSnapshot(status: Status): string {
  const snapshot = status.snapshot;
  if (!snapshot) return 'nothing imported yet';
  const c = snapshot.counts;
  return `${snapshot.source}, imported ${snapshot.importedAt}: ${c.people} people, ${c.courses} courses, ${c.groups} classes, ${c.enrolments} enrolments`;
}

export async function statusCommand(dataDir: string, out: Output): Promise<void> {
  const status = await withEngine(dataDir, (engine) => callApi(engine, 'status:get', {}));
  out.result(status, () => {
    if (!status.setUp) {
      out.line(
        'Not set up yet — start the setup wizard in the app, or load a configuration with `classbridge config import <file>`.',
      );
    }
    out.line(`Syncing: ${status.paused ? 'paused' : 'on'}`);
    out.line(
      `SMS: ${status.sms ? `${status.sms.name} (${status.sms.providerLabel})` : status.useSms ? 'none' : 'not used'}`,
    );
    out.line(`SMS data: ${describeSnapshot(status)}`);
    const refused = status.lastImport;
    if (
      refused &&
      refused.outcome === 'failed' &&
      (!status.snapshot || refused.startedAt > status.snapshot.importedAt)
    ) {
      out.line(`  The latest import (${refused.startedAt}) was refused: ${refused.message ?? 'see History'}`);
      out.line('  The data above is still in use until an import succeeds.');
    }
    // The SMS stopped sending (core/alerts/late-source.ts): every run "succeeds" on stale data.
    if (status.lateSource) {
      out.line(`  LATE: ${status.lateSource.words}`);
      out.line(`  ${status.lateSource.fix}`);
    }
    for (const lms of status.lms) {
      out.line(`LMS ${lms.name} — ${lms.url}`);
      for (const p of lms.parts) {
        const last = p.lastRun ? `, last run ${p.lastRun.startedAt} (${p.lastRun.outcome})` : '';
        out.line(`  ${PART_LABELS[p.part].padEnd(16)} ${HEALTH_WORDS[p.health]}${last}`);
      }
    }
    for (const held of status.heldPlans) {
      const lms = status.lms.find((l) => l.id === held.connectionId)?.name ?? held.connectionId;
      out.line(`HELD for approval since ${held.createdAt} (${lms}): ${held.message}`);
      out.line(`  ${heldPlanHint(held.id)}`);
    }
    const c = status.courses;
    out.line(`Courses: ${c.Open ?? 0} open, ${c.Closed ?? 0} closed, ${c.New ?? 0} new`);
    out.line(`Open sync errors: ${status.openErrors}`);
    if (status.openLinkDecisions > 0)
      out.line(
        `Existing LMS accounts waiting for your decision: ${status.openLinkDecisions} — see \`classbridge links list\` (or the dashboard).`,
      );
  });
}
