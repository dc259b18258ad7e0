import type { HeldPlan } from '../../core/model';
import type { Engine } from '../../core/engine/engine';
import { CommandFailed, type Output } from './output';
import { callApi, withEngine } from './with-engine';

/** Where an admin decides on a held upload: said wherever a hold is reported (sync, status, held list). */
export function heldPlanHint(id: number): string {
  return `Review it with \`classbridge held show ${id}\`, then \`classbridge held approve ${id}\` or \`classbridge held reject ${id}\` (or Review on the app's dashboard).`;
}

const REMOVAL_WORDS: Record<string, string> = {
  suspendUsers: 'users suspended',
  suspendEnrolments: 'enrolments suspended',
  unenrol: 'enrolments removed',
  removeCohortMembers: 'cohort memberships removed',
};

/** "20 users suspended, 3 enrolments removed" */
function describeCounts(plan: HeldPlan): string {
  const parts = Object.entries(plan.details.counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${REMOVAL_WORDS[kind] ?? kind}`);
  return parts.length > 0 ? parts.join(', ') : 'no removals';
}

/**
 * The students the plan takes out of each course, the courses it is held for first:
 *   By course:
 *     Year 10 Science (10SCI): 28 of 28 students — more than the per-course limit
 *       Aroha Ngata (angata)
 */
export function describeCourses(plan: HeldPlan): string[] {
  const { courses } = plan.details;
  if (courses.length === 0) return [];
  const lines = ['By course:'];
  for (const course of courses) {
    const flag = course.exceeded ? ' — more than the per-course limit' : '';
    lines.push(`  ${course.label}: ${course.removals} of ${course.active} students${flag}`);
    for (const student of course.students) lines.push(`    ${student}`);
    if (course.removals > course.students.length)
      lines.push(`    … and ${course.removals - course.students.length} more`);
  }
  return lines;
}

async function connectionNames(engine: Engine): Promise<Map<string, string>> {
  return new Map((await callApi(engine, 'connections:list', {})).map((c) => [c.id, c.name]));
}

/** The plan with this id in any state; an unknown id is a failed command that says so. */
async function findPlan(engine: Engine, id: number): Promise<HeldPlan> {
  const all = await callApi(engine, 'heldPlans:list', {
    states: ['pending', 'approved', 'rejected', 'applied', 'superseded'],
  });
  const plan = all.find((p) => p.id === id);
  if (!plan) {
    const pending = all.filter((p) => p.state === 'pending').map((p) => p.id);
    throw new CommandFailed(
      `There is no held plan ${id}. ${pending.length > 0 ? `Waiting for a decision: ${pending.join(', ')}.` : 'No upload is waiting for a decision.'} See \`classbridge held list\`.`,
    );
  }
  return plan;
}

/** `classbridge held list [--all]`: uploads the safety rail holds (pending ones unless --all). */
export async function heldListCommand(dataDir: string, options: { all?: boolean }, out: Output): Promise<void> {
  const { plans, names } = await withEngine(dataDir, async (engine) => ({
    plans: await callApi(
      engine,
      'heldPlans:list',
      options.all ? { states: ['pending', 'approved', 'rejected', 'applied', 'superseded'] } : {},
    ),
    names: await connectionNames(engine),
  }));
  out.result(plans, () => {
    if (plans.length === 0) {
      out.line(options.all ? 'No upload has ever been held.' : 'No upload is held for approval.');
      return;
    }
    for (const plan of plans) {
      out.line(
        `${plan.id}  ${names.get(plan.connectionId) ?? plan.connectionId}  ${plan.state}  held ${plan.createdAt}: ${describeCounts(plan)}`,
      );
      out.line(`    ${plan.message}`);
    }
    const pending = plans.find((p) => p.state === 'pending');
    if (pending) out.line(heldPlanHint(pending.id));
  });
}

/** `classbridge held show <id>`: what a held upload would remove, by name (the first 50). */
export async function heldShowCommand(dataDir: string, id: number, out: Output): Promise<void> {
  const { plan, names } = await withEngine(dataDir, async (engine) => ({
    plan: await findPlan(engine, id),
    names: await connectionNames(engine),
  }));
  out.result(plan, () => {
    out.line(`Held plan ${plan.id} for ${names.get(plan.connectionId) ?? plan.connectionId} (${plan.part})`);
    out.line(`State: ${plan.state}${plan.decidedAt ? `, decided ${plan.decidedAt}` : ''}; held ${plan.createdAt}`);
    out.line(plan.message);
    out.line(`Removals: ${describeCounts(plan)}`);
    for (const line of describeCourses(plan)) out.line(line);
    if (plan.details.courses.length > 0 && plan.details.samples.length > 0) out.line('By kind:');
    for (const removal of plan.details.samples) out.line(`  ${removal.kind.padEnd(17)} ${removal.label}`);
    const total = Object.values(plan.details.counts).reduce((a, b) => a + b, 0);
    if (total > plan.details.samples.length)
      out.line(`  … and ${total - plan.details.samples.length} more (the first ${plan.details.samples.length} shown).`);
    if (plan.state === 'pending') out.line(heldPlanHint(plan.id));
  });
}

/**
 * `classbridge held approve|reject <id> [--upload]`: the dashboard's decision. An approval is applied
 * by the next upload (the app's schedule, or `classbridge sync upload`); --upload runs it now, here.
 */
export async function heldDecideCommand(
  dataDir: string,
  id: number,
  decision: 'approve' | 'reject',
  options: { upload?: boolean },
  out: Output,
): Promise<void> {
  const upload = decision === 'approve' && options.upload === true;
  const answer = await withEngine(dataDir, async (engine) => {
    await findPlan(engine, id);
    return callApi(engine, 'heldPlans:decide', { id, decision, upload });
  });
  out.result(answer, () => {
    out.line(`Held plan ${answer.plan.id}: ${answer.message}`);
    if (decision === 'approve' && !upload)
      out.line('Run `classbridge sync upload` to apply it now, or leave it to the next scheduled upload.');
    for (const run of answer.runs) out.line(`  ${run.connectionId}: ${run.outcome} — ${run.message}`);
  });
  // Approved either way; the exit code says whether the upload it ran completed (as `sync upload` does).
  if (answer.runs.some((r) => r.outcome !== 'ok'))
    throw new CommandFailed('The upload after the approval did not complete.', { reported: true });
}
