/**
 * The auto-update decisions as plain functions (no Electron, no electron-updater), so they are unit
 * tested: when to check, which feed, whether restarting now is allowed, and the state the Settings
 * page shows. electron/shell/updater/updater.ts is the thin glue that acts on them.
 */
import type { Status, UpdateStatus } from '../../core/contract/contract';

/** Check at start, then every 6 hours. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** How often the glue asks "is anything due?" — short, so a machine waking from sleep checks soon. */
export const UPDATE_TICK_MS = 10 * 60 * 1000;

export type UpdaterEvent =
  | { type: 'disabled'; message: string }
  | { type: 'checking'; at: string }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'restart-waiting'; reason: string }
  | { type: 'error'; message: string };

export function initialUpdateStatus(currentVersion: string, feedUrl: string | null): UpdateStatus {
  return {
    state: 'idle',
    message: 'Not checked yet.',
    currentVersion,
    availableVersion: null,
    lastCheckedAt: null,
    feedUrl,
  };
}

/** The next state the Settings page shows. Errors are plain words, never a crash. */
export function nextUpdateStatus(status: UpdateStatus, event: UpdaterEvent): UpdateStatus {
  switch (event.type) {
    case 'disabled':
      return { ...status, state: 'disabled', message: event.message };
    case 'checking':
      // A downloaded update stays downloaded while a later check runs.
      if (status.state === 'downloaded') return { ...status, lastCheckedAt: event.at };
      return { ...status, state: 'checking', message: 'Checking for updates…', lastCheckedAt: event.at };
    case 'available':
      return {
        ...status,
        state: 'downloading',
        availableVersion: event.version,
        message: `Downloading version ${event.version} in the background…`,
      };
    case 'progress':
      if (status.state !== 'downloading') return status;
      return {
        ...status,
        message: `Downloading version ${status.availableVersion ?? 'new'} in the background (${Math.floor(event.percent)} %)…`,
      };
    case 'not-available':
      if (status.state === 'downloaded') return status;
      return { ...status, state: 'up-to-date', availableVersion: null, message: 'ClassBridge is up to date.' };
    case 'downloaded':
      return {
        ...status,
        state: 'downloaded',
        availableVersion: event.version,
        message: `Version ${event.version} is ready; ClassBridge asks before it restarts to install it.`,
      };
    case 'restart-waiting':
      return { ...status, message: `Version ${status.availableVersion ?? 'new'} will install ${event.reason}.` };
    case 'error':
      // A failed check never loses a download that is ready.
      if (status.state === 'downloaded') return status;
      return { ...status, state: 'error', message: `Could not check for updates: ${oneLine(event.message)}` };
  }
}

function oneLine(message: string): string {
  const first = message.split('\n')[0]?.trim() ?? '';
  return first.length > 200 ? `${first.slice(0, 197)}…` : first || 'unknown error';
}

/**
 * What a tick does: check when none ran yet or the last one is 6 hours old; with an update
 * downloaded and no answer pending, ask again after the same interval ("Later" is not "never").
 */
export function tickAction(input: {
  now: number;
  state: UpdateStatus['state'];
  lastCheckAt: number | undefined;
  lastAskedAt: number | undefined;
  asking: boolean;
  restartPending: boolean;
}): 'check' | 'ask' | 'nothing' {
  if (input.state === 'disabled' || input.state === 'checking' || input.state === 'downloading') return 'nothing';
  if (input.state === 'downloaded') {
    if (input.asking || input.restartPending) return 'nothing';
    const due = input.lastAskedAt === undefined || input.now - input.lastAskedAt >= UPDATE_CHECK_INTERVAL_MS;
    return due ? 'ask' : 'nothing';
  }
  const due = input.lastCheckAt === undefined || input.now - input.lastCheckAt >= UPDATE_CHECK_INTERVAL_MS;
  return due ? 'check' : 'nothing';
}

/** electron-builder's names for `${os}` in a publish URL. */
function builderOs(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'win';
  if (platform === 'darwin') return 'mac';
  return platform;
}

/** `${os}` and `${arch}` in a feed URL, as electron-builder expands them in app-update.yml. */
export function expandFeedMacros(url: string, platform: NodeJS.Platform, arch: string): string {
  return url.replaceAll('${os}', builderOs(platform)).replaceAll('${arch}', arch);
}

/** The feed: the admin's `updateFeedUrl` setting when there is one, else the built-in feed. */
export function resolveFeedUrl(
  settingsFeedUrl: string | undefined,
  builtInFeedUrl: string | null,
  platform: NodeJS.Platform,
  arch: string,
): string | null {
  const chosen = settingsFeedUrl?.trim() ? settingsFeedUrl.trim() : builtInFeedUrl;
  return chosen ? expandFeedMacros(chosen, platform, arch) : null;
}

/** A feed URL fit for the log and the Settings page: a user:password@ in it is masked. */
export function redactFeedUrl(url: string | null): string | null {
  return url?.replace(/^([a-z]+:\/\/)[^/@]*@/i, '$1[redacted]@') ?? null;
}

/** The built-in feed URL from resources/app-update.yml (written by electron-builder from `publish`). */
export function feedUrlFromAppUpdateYml(text: string): string | null {
  const match = /^url:\s*['"]?([^'"\s#]+)['"]?\s*$/m.exec(text);
  return match?.[1] ?? null;
}

export type RestartDecision = { allowed: true } | { allowed: false; reason: string };

/** Parts that are running right now, in words ("upload to Moodle"). */
export function runningParts(status: Pick<Status, 'lms'>): string[] {
  return status.lms.flatMap((lms) =>
    lms.parts
      .filter((part) => part.health === 'running' || part.progress !== null || part.lastRun?.outcome === 'running')
      .map((part) => `${part.part} to ${lms.name}`),
  );
}

/**
 * Restarting is allowed only while no part runs and no KAMAR push is being received or assembled. The engine's answer to `status:get` decides; when
 * the engine cannot answer, restarting is allowed only if it has stopped (nothing can be running).
 */
export function restartDecision(
  reply:
    | { ok: true; result: Pick<Status, 'lms'> & Partial<Pick<Status, 'kamarChunksKept'>> }
    | { ok: false; error: { code: string; message: string } },
): RestartDecision {
  if (!reply.ok) {
    if (reply.error.code === 'unavailable') return { allowed: true };
    return { allowed: false, reason: 'once ClassBridge can tell that no sync is running' };
  }
  // A KAMAR push being received or assembled survives a restart (it is spooled), but its quiet period
  // starts again and KAMAR's retries hit a stopped receiver: wait until it is stored.
  if ((reply.result.kamarChunksKept ?? 0) > 0)
    return { allowed: false, reason: 'when the KAMAR push being received has been stored' };
  const running = runningParts(reply.result);
  if (running.length === 0) return { allowed: true };
  return { allowed: false, reason: `when the running sync finishes (${running.join(', ')})` };
}
