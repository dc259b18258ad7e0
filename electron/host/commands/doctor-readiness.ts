import type { Engine } from '../../core/engine/engine';
import { readinessFor } from '../../core/sync/results-readiness';
import type { Check } from './doctor';

const MAX_LISTED = 20;

/**
 * `classbridge doctor`'s results readiness (docs/results.md, "Readiness"): one line per Open course whose
 * results cannot come out right, with the reason and fix, and one summary line per LMS connection. A
 * connection that cannot be reached (no token, LMS down) is left to the connection check above it.
 */
export async function readinessChecks(engine: Pick<Engine, 'store' | 'secrets' | 'logger'>): Promise<Check[]> {
  const checks: Check[] = [];
  let reports;
  try {
    reports = await readinessFor(engine.store, engine.secrets, engine.logger);
  } catch (error) {
    // Doctor goes on: readiness is one check among many.
    const detail = error instanceof Error ? error.message : String(error);
    return [{ check: 'Results readiness', ok: false, detail, fix: 'See the ClassBridge log.' }];
  }
  for (const report of reports) {
    if (report.error) continue;
    const notReady = report.courses.filter((c) => c.state === 'not-ready');
    const unknown = report.courses.filter((c) => c.state === 'unknown');
    for (const course of notReady.slice(0, MAX_LISTED)) {
      checks.push({
        check: `Results readiness: ${course.course} (${report.connection})`,
        ok: false,
        detail: course.problems.map((p) => p.message).join(' '),
        fix: course.problems.map((p) => p.fix).join(' '),
      });
    }
    const more = notReady.length - Math.min(notReady.length, MAX_LISTED);
    const open = report.courses.length;
    checks.push({
      check: `Results readiness (${report.connection})`,
      ok: notReady.length === 0,
      detail:
        open === 0
          ? 'no Open course to check'
          : `${open - notReady.length - unknown.length} of ${open} Open courses ready` +
            (notReady.length > 0 ? `, ${notReady.length} not ready${more > 0 ? ` (${more} not listed)` : ''}` : '') +
            (unknown.length > 0
              ? `, ${unknown.length} not checked (${unknown
                  .slice(0, 3)
                  .map((c) => `${c.course}: ${c.problems[0]?.message ?? ''}`)
                  .join('; ')})`
              : ''),
      ...(notReady.length > 0 ? { fix: 'See the Courses page (Results readiness) for each course.' } : {}),
    });
  }
  return checks;
}
