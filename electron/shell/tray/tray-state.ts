/**
 * What the tray shows, decided from the engine's status alone: the icon, the tooltip with the last
 * sync, the status line and which menu items work (and, where one does not, why). Plain data, so
 * every combination is unit-tested without Electron; tray.ts only draws it.
 */
import type { Status } from '../../core/contract/contract';
import { allParts, partName, shorten, type PartStatus } from '../status-words';

export type TrayIconState = 'ok' | 'syncing' | 'problem' | 'paused';
export type TrayAction = 'upload-now' | 'download-now' | 'pause' | 'resume' | 'open' | 'quit';

export interface TrayMenuItem {
  id: TrayAction | 'status';
  label: string;
  enabled: boolean;
  /** Why a disabled item cannot be used now. */
  reason?: string;
}

export interface TrayView {
  icon: TrayIconState;
  /** At most 127 characters (the Windows limit). */
  tooltip: string;
  statusLine: string;
  menu: TrayMenuItem[];
}

export interface TrayInput {
  /** The engine's `status:get`; absent until its first answer. */
  status?: Status;
  /** Why `status:get` failed (the engine is not running). */
  error?: string;
  /** The app is quitting: a running upload finishes its current batch first. */
  stopping?: boolean;
  now: Date;
  /** For the last sync's time; the computer's own zone and locale unless given (tests). */
  timeZone?: string;
  locale?: string;
}

const TOOLTIP_MAX = 127;
const STATUS_LINE_MAX = 90;

export function trayView(input: TrayInput): TrayView {
  const { status } = input;
  const parts = status ? allParts(status) : [];
  const running = parts.filter((p) => isRunning(p.part));
  const problems = parts.filter((p) => p.part.health === 'problem');
  const { icon, headline, statusLine } = summary(input, running, problems);
  const lastSync = status ? lastSyncOf(status) : undefined;
  const when = lastSync ? formatWhen(lastSync, input) : 'never';
  const line = shorten(statusLine, STATUS_LINE_MAX);
  return {
    icon,
    tooltip: shorten(`ClassBridge — ${headline}\nLast sync: ${when}`, TOOLTIP_MAX),
    statusLine: line,
    menu: menu(input, running, line),
  };
}

/** The label a menu shows: a disabled item says why in brackets. */
export function menuLabel(item: TrayMenuItem): string {
  return !item.enabled && item.reason ? `${item.label} (${item.reason})` : item.label;
}

type Entry = ReturnType<typeof allParts>[number];

function isRunning(part: PartStatus): boolean {
  return part.health === 'running' || part.progress !== null;
}

/** Precedence: a problem shows even while something else runs or the schedule is paused. */
function summary(
  input: TrayInput,
  running: Entry[],
  problems: Entry[],
): { icon: TrayIconState; headline: string; statusLine: string } {
  const { status } = input;
  if (input.stopping) {
    return running.length > 0
      ? { icon: 'syncing', headline: 'closing', statusLine: 'Closing: finishing the batch it is sending…' }
      : { icon: 'paused', headline: 'closing', statusLine: 'Closing…' };
  }
  if (input.error !== undefined) {
    return { icon: 'problem', headline: 'not running', statusLine: `The engine is not running: ${input.error}` };
  }
  if (!status) return { icon: 'syncing', headline: 'starting', statusLine: 'Starting…' };
  if (!status.setUp) {
    return { icon: 'paused', headline: 'not set up', statusLine: 'Not set up yet: open ClassBridge to finish setup.' };
  }
  const [firstProblem] = problems;
  if (firstProblem) {
    const statusLine =
      problems.length === 1
        ? `Problem: ${partName(firstProblem.part.part, firstProblem.lms.name)} — ${firstProblem.part.words}`
        : `Problem: ${problems.length} parts need attention (${problems.map((p) => partName(p.part.part, p.lms.name)).join(', ')})`;
    return { icon: 'problem', headline: 'problem', statusLine };
  }
  // The SMS stopped sending: every run "succeeds" on stale data, so it is a problem (core/alerts/late-source.ts).
  if (status.lateSource) {
    return { icon: 'problem', headline: 'SMS data late', statusLine: `Problem: ${status.lateSource.words}` };
  }
  const [firstRunning] = running;
  if (firstRunning) {
    const progress = running.length === 1 ? firstRunning.part.progress : null;
    const percent = progress && progress.total > 0 ? ` (${Math.floor((100 * progress.done) / progress.total)}%)` : '';
    return {
      icon: 'syncing',
      headline: 'syncing',
      statusLine: `Syncing: ${running.map((p) => partName(p.part.part, p.lms.name)).join(', ')}${percent}`,
    };
  }
  if (status.paused) {
    return { icon: 'paused', headline: 'paused', statusLine: 'Paused: nothing runs on its schedule.' };
  }
  if (status.heldPlans.length > 0) {
    const n = status.heldPlans.length;
    return {
      icon: 'ok',
      headline: 'waiting for approval',
      statusLine: `Waiting for your approval: ${n} held upload${n === 1 ? '' : 's'}.`,
    };
  }
  const warning = allParts(status).find((p) => p.part.health === 'warning');
  if (warning) {
    return {
      icon: 'ok',
      headline: 'OK, with warnings',
      statusLine: `Needs a look: ${partName(warning.part.part, warning.lms.name)} — ${warning.part.words}`,
    };
  }
  return { icon: 'ok', headline: 'OK', statusLine: 'OK: everything is up to date.' };
}

function menu(input: TrayInput, running: Entry[], statusLine: string): TrayMenuItem[] {
  const { status } = input;
  // Why nothing that talks to the engine can be used now (undefined: it can).
  const blocked = input.stopping
    ? 'ClassBridge is closing'
    : input.error !== undefined
      ? 'the engine is not running'
      : !status
        ? 'starting'
        : !status.setUp
          ? 'finish setup first'
          : undefined;
  const noLms = status && status.lms.length === 0 ? 'no LMS is connected' : undefined;
  const partRunning = (part: PartStatus['part'], what: string) =>
    running.some((p) => p.part.part === part) ? `${what} is running now` : undefined;
  const item = (id: TrayAction, label: string, reason: string | undefined): TrayMenuItem =>
    reason === undefined ? { id, label, enabled: true } : { id, label, enabled: false, reason };
  const paused = status?.paused ?? false;
  return [
    { id: 'status', label: statusLine, enabled: false },
    // Upload now and Download now run even while paused: the admin asked for this run.
    item('upload-now', 'Upload now', blocked ?? noLms ?? partRunning('upload', 'an upload')),
    item('download-now', 'Download now', blocked ?? noLms ?? partRunning('results', 'a download')),
    paused ? item('resume', 'Resume syncing', blocked) : item('pause', 'Pause syncing', blocked),
    item('open', 'Open ClassBridge', undefined),
    item('quit', 'Quit ClassBridge', input.stopping ? 'closing already' : undefined),
  ];
}

/** When any part last finished a sync that reached the LMS (ok or partial). */
function lastSyncOf(status: Status): Date | undefined {
  let latest: Date | undefined;
  for (const { part } of allParts(status)) {
    const run = part.lastRun;
    if (!run?.finishedAt || (run.outcome !== 'ok' && run.outcome !== 'partial')) continue;
    const at = new Date(run.finishedAt);
    if (!latest || at > latest) latest = at;
  }
  return latest;
}

/** "today 14:05", "yesterday 09:30" or "3 Mar 14:05": a time that does not go stale in a tooltip. */
function formatWhen(at: Date, input: TrayInput): string {
  const zone = input.timeZone ? { timeZone: input.timeZone } : {};
  const day = new Intl.DateTimeFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat(input.locale, { ...zone, hour: '2-digit', minute: '2-digit', hour12: false });
  const today = day.format(input.now);
  const yesterday = day.format(new Date(input.now.getTime() - 86_400_000));
  const date = day.format(at);
  if (date === today) return `today ${time.format(at)}`;
  if (date === yesterday) return `yesterday ${time.format(at)}`;
  const dayMonth = new Intl.DateTimeFormat(input.locale, { ...zone, day: 'numeric', month: 'short' });
  return `${dayMonth.format(at)} ${time.format(at)}`;
}
