/**
 * The one transition policy: when the status has something to tell — a part turns *problem*, an
 * upload is held for approval, link decisions wait, an update is ready, the SMS is late — once per
 * transition. The desktop's notifications (shell/notifications/notification-policy.ts) and the
 * email/webhook alerts (alert-service.ts) both decide with this, so they agree. The memory says what
 * was already told, so a retry storm (a failing part retried every few minutes, each retry a status
 * change) tells once; it is plain JSON, kept by the desktop in its state file and by the alerts in
 * SQLite (alert-memory.ts), so a restart does not tell again.
 */
import type { Status } from '../contract/contract';
import type { LateSource, Part } from '../model';

export interface TransitionMemory {
  /** Parts (`lmsId:part`) whose problem was told and has not cleared since (a successful run). */
  problems: string[];
  /** Upload parts (`lmsId:part`) whose held plan was told and still waits for the admin. */
  held: string[];
  /** The update version already announced. */
  update?: string;
  /** Link decisions were told and some still wait. */
  links?: boolean;
  /** Late sources (by name) told and still late. */
  late?: string[];
}

export const EMPTY_TRANSITION_MEMORY: TransitionMemory = { problems: [], held: [] };

type LmsStatus = Status['lms'][number];
type PartStatus = LmsStatus['parts'][number];

export interface ProblemPart {
  key: string;
  lmsId: string;
  lmsName: string;
  part: Part;
  /** The health in words, with the diagnosed cause (schedule/diagnose.ts via health.ts). */
  words: string;
  fix?: string;
}

export interface HeldWaiting {
  id: number;
  connectionId: string;
  lmsName: string;
  part: Part;
  message: string;
  createdAt: string;
}

export type Transition =
  | { kind: 'problem'; parts: ProblemPart[] }
  | { kind: 'held'; plans: HeldWaiting[] }
  | { kind: 'links'; count: number }
  | { kind: 'update'; version: string }
  | { kind: 'late-source'; late: LateSource };

export interface TransitionInput {
  /** The latest status; absent when the engine did not answer (nothing changes then). */
  status?: Status;
  /** Set once an update is downloaded and waits for a restart. */
  updateReady?: { version: string };
}

/** Every part of every LMS, with the LMS it belongs to. */
export function partsOf(status: Status): { lms: LmsStatus; part: PartStatus; key: string }[] {
  return status.lms.flatMap((lms) => lms.parts.map((part) => ({ lms, part, key: `${lms.id}:${part.part}` })));
}

export function decideTransitions(
  memory: TransitionMemory,
  input: TransitionInput,
): { transitions: Transition[]; memory: TransitionMemory } {
  const transitions: Transition[] = [];
  let next: TransitionMemory = { ...memory };
  const { status } = input;
  if (status) {
    const problems = problemsOf(memory, status);
    if (problems.fresh.length > 0) transitions.push({ kind: 'problem', parts: problems.fresh });
    const held = heldOf(memory, status);
    if (held.fresh.length > 0) transitions.push({ kind: 'held', plans: held.fresh });
    next = { ...next, problems: problems.memory, held: held.memory };

    // Link decisions: told when some start waiting, told again only after all were decided.
    const waiting = status.setUp && status.openLinkDecisions > 0;
    if (waiting && !memory.links) transitions.push({ kind: 'links', count: status.openLinkDecisions });
    next.links = status.openLinkDecisions > 0 ? (memory.links ?? false) || waiting : false;

    const late = status.lateSource ?? undefined;
    const toldLate = new Set(memory.late ?? []);
    if (late && status.setUp && !toldLate.has(late.source)) transitions.push({ kind: 'late-source', late });
    next.late = late ? [late.source] : [];
  }
  const version = input.updateReady?.version;
  if (version !== undefined && version !== memory.update) {
    transitions.push({ kind: 'update', version });
    next = { ...next, update: version };
  }
  return { transitions, memory: next };
}

/**
 * A problem is told once, when the part turns *problem*; failed retries keep it and tell nothing.
 * It clears only when the part syncs again (ok, or partial: the connection works) or goes away —
 * not while a retry runs, and not on a held plan, neither of which is a success. While paused
 * nothing new is told: the admin stopped the schedule, so "no successful run" is expected.
 */
function problemsOf(memory: TransitionMemory, status: Status): { fresh: ProblemPart[]; memory: string[] } {
  const parts = partsOf(status);
  const told = new Set(memory.problems);
  const kept = memory.problems.filter((key) => {
    const entry = parts.find((p) => p.key === key);
    if (!entry) return false;
    const { health, lastRun } = entry.part;
    const recovered =
      health === 'ok' || health === 'never-run' || (health === 'warning' && lastRun?.outcome === 'partial');
    return !recovered;
  });
  const fresh =
    status.setUp && !status.paused ? parts.filter((p) => p.part.health === 'problem' && !told.has(p.key)) : [];
  return {
    fresh: fresh.map(({ lms, part, key }) => ({
      key,
      lmsId: lms.id,
      lmsName: lms.name,
      part: part.part,
      words: part.words,
      ...(part.fix ? { fix: part.fix } : {}),
    })),
    memory: [...kept, ...fresh.map((p) => p.key)],
  };
}

/**
 * A held upload is told once per LMS part while it waits: a held plan superseded by the next run
 * (the SMS data moved a little) is the same question to the admin, not a new one.
 */
function heldOf(memory: TransitionMemory, status: Status): { fresh: HeldWaiting[]; memory: string[] } {
  const waiting = new Map<string, Status['heldPlans'][number]>();
  for (const plan of status.heldPlans) waiting.set(`${plan.connectionId}:${plan.part}`, plan);
  const told = new Set(memory.held);
  const lmsName = (id: string) => status.lms.find((l) => l.id === id)?.name ?? 'the LMS';
  const fresh = [...waiting.entries()]
    .filter(([key]) => !told.has(key))
    .map(([, plan]) => ({ ...plan, lmsName: lmsName(plan.connectionId) }));
  return { fresh, memory: [...waiting.keys()] };
}
