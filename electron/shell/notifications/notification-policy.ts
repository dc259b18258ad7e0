/**
 * When the desktop tells the admin something: a part turns *problem*, an upload is held for
 * approval, an update is ready — once each. The memory says what was already told, so a retry
 * storm (a failing part retried every few minutes, each retry a status change) gives one
 * notification, and it is plain JSON so it survives a restart (desktop-state.ts).
 */
import type { Status } from '../../core/contract/contract';
import { allParts, partName, shorten } from '../status-words';

export interface NotificationMemory {
  /** Parts (`lmsId:part`) whose problem was told and has not cleared since (a successful run). */
  problems: string[];
  /** Upload parts (`lmsId:part`) whose held plan was told and still waits for the admin. */
  held: string[];
  /** The update version already announced. */
  update?: string;
}

export const EMPTY_MEMORY: NotificationMemory = { problems: [], held: [] };

export interface ShellNotification {
  kind: 'problem' | 'held' | 'update';
  title: string;
  body: string;
}

export interface NotificationInput {
  /** The latest `status:get`; absent when the engine did not answer (nothing changes then). */
  status?: Status;
  /** Set once the updater has downloaded an update. */
  updateReady?: { version: string };
}

const BODY_MAX = 200;

export function decideNotifications(
  memory: NotificationMemory,
  input: NotificationInput,
): { notifications: ShellNotification[]; memory: NotificationMemory } {
  const notifications: ShellNotification[] = [];
  let next = memory;
  const { status } = input;
  if (status) {
    const problems = problemsOf(memory, status);
    const held = heldOf(memory, status);
    if (problems.notification) notifications.push(problems.notification);
    if (held.notification) notifications.push(held.notification);
    next = { ...next, problems: problems.memory, held: held.memory };
  }
  const version = input.updateReady?.version;
  if (version !== undefined && version !== memory.update) {
    notifications.push({
      kind: 'update',
      title: 'A ClassBridge update is ready',
      body: `Version ${version} is downloaded. Click to restart ClassBridge now, or it is installed at the next restart.`,
    });
    next = { ...next, update: version };
  }
  return { notifications, memory: next };
}

/**
 * A problem is told once, when the part turns *problem*; failed retries keep it and tell nothing.
 * It clears only when the part syncs again (ok, or partial: the connection works) or goes away —
 * not while a retry runs, and not on a held plan, neither of which is a success. While paused
 * nothing new is told: the admin stopped the schedule, so "no successful run" is expected.
 */
function problemsOf(memory: NotificationMemory, status: Status) {
  const parts = allParts(status);
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
  const [first] = fresh;
  let notification: ShellNotification | undefined;
  if (first) {
    notification =
      fresh.length === 1
        ? {
            kind: 'problem',
            title: `${partName(first.part.part, first.lms.name)} has a problem`,
            body: shorten(`${first.part.words}${first.part.fix ? ` ${first.part.fix}` : ''}`, BODY_MAX),
          }
        : {
            kind: 'problem',
            title: `${fresh.length} parts of the sync have a problem`,
            body: shorten(
              `${fresh.map((p) => partName(p.part.part, p.lms.name)).join(', ')}. Open ClassBridge to see why.`,
              BODY_MAX,
            ),
          };
  }
  return { notification, memory: [...kept, ...fresh.map((p) => p.key)] };
}

/**
 * A held upload is told once per LMS part while it waits: a held plan superseded by the next run
 * (the SMS data moved a little) is the same question to the admin, not a new one.
 */
function heldOf(memory: NotificationMemory, status: Status) {
  const waiting = new Map<string, Status['heldPlans'][number]>();
  for (const plan of status.heldPlans) waiting.set(`${plan.connectionId}:${plan.part}`, plan);
  const told = new Set(memory.held);
  const fresh = [...waiting.entries()].filter(([key]) => !told.has(key)).map(([, plan]) => plan);
  const lmsName = (id: string) => status.lms.find((l) => l.id === id)?.name ?? 'the LMS';
  const [first] = fresh;
  let notification: ShellNotification | undefined;
  if (first) {
    notification =
      fresh.length === 1
        ? {
            kind: 'held',
            title: `An upload to ${lmsName(first.connectionId)} is waiting for your approval`,
            body: shorten(`${first.message} Open ClassBridge to review it.`, BODY_MAX),
          }
        : {
            kind: 'held',
            title: `${fresh.length} uploads are waiting for your approval`,
            body: shorten(
              `To ${[...new Set(fresh.map((p) => lmsName(p.connectionId)))].join(', ')}: they would remove more than the safety limit allows. Open ClassBridge to review them.`,
              BODY_MAX,
            ),
          };
  }
  return { notification, memory: [...waiting.keys()] };
}
