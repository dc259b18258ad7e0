/**
 * Automatic updates: thin glue between electron-updater, the engine and a dialog. Every decision
 * (when to check, which feed, whether restarting is allowed now, what Settings shows) is a plain
 * function in update-policy.ts. Downloads run in the background; ClassBridge asks before it
 * restarts and never restarts while a sync runs. A failed check is logged and shown quietly in
 * Settings (`app:updateStatus`), never raised.
 */
import { app, BrowserWindow, dialog } from 'electron';
import electronUpdater from 'electron-updater';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateStatus } from '../../core/contract/contract';
import type { EngineClient } from '../../core/engine/engine-client';
import type { Logger } from '../../core/logging/logger';
import type { Settings } from '../../core/model';
import {
  initialUpdateStatus,
  nextUpdateStatus,
  redactFeedUrl,
  resolveFeedUrl,
  feedUrlFromAppUpdateYml,
  restartDecision,
  tickAction,
  UPDATE_TICK_MS,
  type UpdaterEvent,
} from './update-policy';

export interface Updater {
  /** What the Settings page shows; answered by the main thread for `app:updateStatus`. */
  status(): UpdateStatus;
  /** Asks now whether to restart into a downloaded update (the "update ready" notification's click). */
  ask(): void;
  stop(): void;
}

type StatusReply = Parameters<typeof restartDecision>[0];

function builtInFeedUrl(logger: Logger): string | null {
  try {
    return feedUrlFromAppUpdateYml(readFileSync(join(process.resourcesPath, 'app-update.yml'), 'utf8'));
  } catch (err) {
    logger.warn({ err }, 'updater: no app-update.yml, so no built-in update feed');
    return null;
  }
}

export function startUpdater({ engine, logger }: { engine: EngineClient; logger: Logger }): Updater {
  let status = initialUpdateStatus(app.getVersion(), null);
  const apply = (event: UpdaterEvent): void => {
    status = nextUpdateStatus(status, event);
  };

  if (!app.isPackaged) {
    apply({
      type: 'disabled',
      message: 'Updates are checked only in the installed app (this is a development build).',
    });
    return { status: () => status, ask: () => undefined, stop: () => undefined };
  }

  const { autoUpdater } = electronUpdater;
  if (!autoUpdater.isUpdaterActive()) {
    // E.g. Linux outside an AppImage or deb install (an unpacked folder): nothing could be installed.
    apply({
      type: 'disabled',
      message: 'This copy of ClassBridge cannot update itself (it was not installed by a ClassBridge installer).',
    });
    return { status: () => status, ask: () => undefined, stop: () => undefined };
  }
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.logger = {
    info: (message?: unknown) => logger.info({ updater: true }, String(message)),
    warn: (message?: unknown) => logger.warn({ updater: true }, String(message)),
    error: (message?: unknown) => logger.error({ updater: true }, String(message)),
    debug: (message: string) => logger.debug({ updater: true }, message),
  };

  const builtIn = builtInFeedUrl(logger);
  let feedUrl: string | null = null;
  let lastCheckAt: number | undefined;
  let lastAskedAt: number | undefined;
  let asking = false;
  let restartPending = false;
  let stopped = false;

  autoUpdater.on('checking-for-update', () => apply({ type: 'checking', at: new Date().toISOString() }));
  autoUpdater.on('update-available', (info) => apply({ type: 'available', version: info.version }));
  autoUpdater.on('update-not-available', () => apply({ type: 'not-available' }));
  autoUpdater.on('download-progress', (progress) => apply({ type: 'progress', percent: progress.percent }));
  autoUpdater.on('update-downloaded', (info) => {
    apply({ type: 'downloaded', version: info.version });
    logger.info({ version: info.version }, 'updater: update downloaded');
    // One prompt, not two: with the window in front the question comes at once; with ClassBridge in the
    // tray the "update ready" notification says so and its click asks (and the 6-hourly tick asks again).
    if (BrowserWindow.getFocusedWindow()) void ask();
    else lastAskedAt = Date.now();
  });
  autoUpdater.on('error', (err: Error) => failed(err));

  function failed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    logger.warn({ err }, 'updater: check or download failed');
    apply({ type: 'error', message });
  }

  /** The feed follows the `updateFeedUrl` setting; a changed feed is checked at the next tick. */
  async function applyFeed(): Promise<void> {
    const reply = await engine.call('settings:get', {});
    const settings = reply.ok ? (reply.result as Settings) : undefined;
    const next = resolveFeedUrl(settings?.updateFeedUrl, builtIn, process.platform, process.arch);
    if (next === feedUrl) return;
    feedUrl = next;
    status = { ...status, feedUrl: redactFeedUrl(next) };
    if (next) autoUpdater.setFeedURL({ provider: 'generic', url: next });
    lastCheckAt = undefined;
    logger.info({ feedUrl: redactFeedUrl(next) }, 'updater: feed');
  }

  async function ask(): Promise<void> {
    if (asking || restartPending || stopped) return;
    asking = true;
    lastAskedAt = Date.now();
    try {
      const { response } = await dialog.showMessageBox({
        type: 'info',
        title: 'ClassBridge update',
        message: status.availableVersion
          ? `ClassBridge ${status.availableVersion} is ready to install.`
          : 'A ClassBridge update is ready to install.',
        detail:
          'ClassBridge restarts to install it, which takes a few seconds. If a sync is running, it waits ' +
          'until the sync has finished.',
        buttons: ['Restart now', 'Later'],
        defaultId: 0,
        cancelId: 1,
      });
      if (response === 0) {
        restartPending = true;
        await restartWhenIdle();
      }
    } finally {
      asking = false;
    }
  }

  let recheck: NodeJS.Timeout | undefined;
  async function restartWhenIdle(): Promise<void> {
    if (!restartPending || stopped) return;
    const decision = restartDecision((await engine.call('status:get', {})) as StatusReply);
    if (decision.allowed) {
      logger.info({ version: status.availableVersion }, 'updater: restarting to install');
      stopped = true;
      autoUpdater.quitAndInstall(false, true);
      return;
    }
    apply({ type: 'restart-waiting', reason: decision.reason });
    // Status events say when a run ends; the timer covers a missed one.
    clearTimeout(recheck);
    recheck = setTimeout(() => void restartWhenIdle(), 60_000);
  }

  const unsubscribe = engine.onEvent((event) => {
    if (event === 'settings:changed') void applyFeed().then(tick, failed);
    if (event === 'status:changed' && restartPending) {
      clearTimeout(recheck);
      recheck = setTimeout(() => void restartWhenIdle(), 1000);
    }
  });

  function tick(): void {
    if (stopped) return;
    const action = tickAction({
      now: Date.now(),
      state: status.state,
      lastCheckAt,
      lastAskedAt,
      asking,
      restartPending,
    });
    if (action === 'ask') void ask();
    if (action !== 'check') return;
    if (!feedUrl) {
      apply({ type: 'error', message: 'no update feed is set (the updateFeedUrl setting, or the installer’s own)' });
      lastCheckAt = Date.now();
      return;
    }
    lastCheckAt = Date.now();
    autoUpdater.checkForUpdates().catch(failed);
  }

  const timer = setInterval(tick, UPDATE_TICK_MS);
  void applyFeed().then(tick, failed);

  return {
    status: () => status,
    ask: () => void ask(),
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(recheck);
      unsubscribe();
    },
  };
}
