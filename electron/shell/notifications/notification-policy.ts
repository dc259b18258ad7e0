/**
 * When the desktop tells the admin something: a part turns *problem*, an upload is held for
 * approval, an update is ready — once each. *When* is the one transition policy the email and
 * webhook alerts use too (core/alerts/transitions.ts), so the desktop and the alerts agree; this
 * file only puts it in a notification's words. The memory is plain JSON, so it survives a restart
 * (desktop-state.ts).
 */
import { decideTransitions, type Transition, type TransitionMemory } from '../../core/alerts/transitions';
import type { Status } from '../../core/contract/contract';
import { partName, shorten } from '../status-words';

/** What was already told (the transition memory; the desktop keeps problems, held and update). */
export type NotificationMemory = TransitionMemory;

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
  const decided = decideTransitions(memory, input);
  const notifications = decided.transitions.flatMap((t) => {
    const n = inWords(t);
    return n ? [n] : [];
  });
  // The desktop keeps what it tells: links and late sources are the alerts' (and the dashboard's).
  const { problems, held, update } = decided.memory;
  return { notifications, memory: { problems, held, ...(update !== undefined ? { update } : {}) } };
}

function inWords(t: Transition): ShellNotification | undefined {
  switch (t.kind) {
    case 'problem': {
      const [first] = t.parts;
      if (!first) return undefined;
      return t.parts.length === 1
        ? {
            kind: 'problem',
            title: `${partName(first.part, first.lmsName)} has a problem`,
            body: shorten(`${first.words}${first.fix ? ` ${first.fix}` : ''}`, BODY_MAX),
          }
        : {
            kind: 'problem',
            title: `${t.parts.length} parts of the sync have a problem`,
            body: shorten(
              `${t.parts.map((p) => partName(p.part, p.lmsName)).join(', ')}. Open ClassBridge to see why.`,
              BODY_MAX,
            ),
          };
    }
    case 'held': {
      const [first] = t.plans;
      if (!first) return undefined;
      return t.plans.length === 1
        ? {
            kind: 'held',
            title: `An upload to ${first.lmsName} is waiting for your approval`,
            body: shorten(`${first.message} Open ClassBridge to review it.`, BODY_MAX),
          }
        : {
            kind: 'held',
            title: `${t.plans.length} uploads are waiting for your approval`,
            body: shorten(
              `To ${[...new Set(t.plans.map((p) => p.lmsName))].join(', ')}: they would remove more than the safety limit allows. Open ClassBridge to review them.`,
              BODY_MAX,
            ),
          };
    }
    case 'update':
      return {
        kind: 'update',
        title: 'A ClassBridge update is ready',
        body: `Version ${t.version} is downloaded. Click to restart ClassBridge now, or it is installed at the next restart.`,
      };
    default:
      return undefined;
  }
}
