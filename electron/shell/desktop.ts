/**
 * The desktop side of ClassBridge around the window: tray, notifications, closing to the tray and
 * start at login, all fed by the engine's status through the Api. Thin glue: tray-state.ts,
 * notification-policy.ts, close-behaviour.ts and login-item.ts decide; this applies.
 */
import { app, autoUpdater, powerMonitor, type BrowserWindow } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../core/model';
import { decideClose } from './close-behaviour';
import { loadDesktopState, saveDesktopState, type DesktopState } from './desktop-state';
import { loginItemKey, loginItemPlan, type LoginItemPlan } from './login-item';
import { decideNotifications } from './notifications/notification-policy';
import { showNotifications } from './notifications/notifier';
import { startStatusFeed, type StatusSource, type StatusUpdate } from './status-feed';
import { createDesktopTray } from './tray/tray';

export interface DesktopDeps {
  engine: StatusSource;
  dataDir: string;
  showWindow(): void;
  /** The version the updater has downloaded, if any. */
  updateReady(): { version: string } | undefined;
  /** The "update ready" notification was clicked: ask whether to restart now. */
  askToRestart(): void;
  onError(err: unknown, what: string): void;
}

export interface Desktop {
  /** Closing this window hides it (see close-behaviour.ts) unless ClassBridge is quitting. */
  attachWindow(window: BrowserWindow): void;
  /** Quit was asked for: windows close for real; the tray says the current batch is finishing. */
  quitting(): void;
  stop(): void;
}

export function startDesktop(deps: DesktopDeps): Desktop {
  // Windows shows notifications only for an app with an AppUserModelId (the installer's appId).
  if (process.platform === 'win32') app.setAppUserModelId('org.classbridge.desktop');
  let state: DesktopState = loadDesktopState(deps.dataDir);
  const remember = (next: DesktopState): void => {
    if (JSON.stringify(next) === JSON.stringify(state)) return;
    state = next;
    try {
      saveDesktopState(deps.dataDir, state);
    } catch (err) {
      deps.onError(err, 'saving the desktop state');
    }
  };
  let quitting = false;
  let latest: StatusUpdate = {};

  const tray = createDesktopTray({
    engine: deps.engine,
    showWindow: deps.showWindow,
    quit: () => app.quit(),
    refresh: () => feed.refresh(),
  });

  // Start at login: looked at when setup completes and whenever the settings change.
  let loginItemDue = true;
  let lastSetUp: boolean | undefined;
  const unsubscribe = deps.engine.onEvent((event) => {
    if (event === 'settings:changed') loginItemDue = true;
  });
  const applyLoginItem = async (setUp: boolean): Promise<void> => {
    const reply = await deps.engine.call('settings:get', {});
    if (!reply.ok) return;
    const plan = loginItemPlan({
      startAtLogin: (reply.result as Settings).startAtLogin,
      setUp,
      packaged: app.isPackaged,
      platform: process.platform,
      execPath: process.execPath,
      env: process.env,
    });
    const key = loginItemKey(plan);
    if (key === state.loginItem) return;
    applyPlan(plan);
    remember({ ...state, loginItem: key });
  };

  const feed = startStatusFeed(deps.engine, (update) => {
    latest = update;
    tray.update({ ...update, stopping: quitting });
    const updateReady = deps.updateReady();
    const decided = decideNotifications(state.notifications, {
      ...(update.status ? { status: update.status } : {}),
      ...(updateReady ? { updateReady } : {}),
    });
    showNotifications(
      decided.notifications.filter((n) => n.kind !== 'update').map((n) => ({ title: n.title, body: n.body })),
      deps.showWindow,
    );
    showNotifications(
      decided.notifications
        .filter((n) => n.kind === 'update')
        .map((n) => ({ title: n.title, body: n.body, silent: true })),
      deps.askToRestart,
    );
    // The engine's email/webhook alerts cannot see the updater: tell it (core/alerts, once per version).
    if (updateReady && decided.notifications.some((n) => n.kind === 'update'))
      void deps.engine.call('alerts:updateReady', { version: updateReady.version });
    remember({ ...state, notifications: decided.memory });
    const setUp = update.status?.setUp;
    if (setUp !== undefined && (loginItemDue || setUp !== lastSetUp)) {
      loginItemDue = false;
      lastSetUp = setUp;
      applyLoginItem(setUp).catch((err: unknown) => deps.onError(err, 'setting start at login'));
    }
  });

  // After a sleep the engine's scheduler runs what was missed, once; the shell only looks again.
  const onResume = (): void => feed.refresh();
  powerMonitor.on('resume', onResume);
  // Linux and macOS shutting down: quit cleanly (the engine finishes its current batch).
  const onShutdown = (): void => app.quit();
  powerMonitor.on('shutdown', onShutdown);
  // Installing an update closes the windows first (macOS, where electron-updater goes through
  // Electron's own autoUpdater): they must close, not hide.
  const onUpdateQuit = (): void => {
    quitting = true;
  };
  autoUpdater.on('before-quit-for-update', onUpdateQuit);

  return {
    attachWindow(window) {
      window.on('close', (event) => {
        const decision = decideClose({ quitting, closeHintShown: state.closeHintShown, platform: process.platform });
        if (decision.action === 'close') return;
        event.preventDefault();
        window.hide();
        if (decision.notify) showNotifications([decision.notify], deps.showWindow);
        remember({ ...state, closeHintShown: decision.closeHintShown });
      });
      // Windows logging off or shutting down: let the window go.
      window.on('session-end', () => {
        quitting = true;
      });
    },
    quitting() {
      quitting = true;
      tray.update({ ...latest, stopping: true });
    },
    stop() {
      feed.stop();
      unsubscribe();
      powerMonitor.off('resume', onResume);
      powerMonitor.off('shutdown', onShutdown);
      autoUpdater.off('before-quit-for-update', onUpdateQuit);
      tray.destroy();
    },
  };
}

function applyPlan(plan: LoginItemPlan): void {
  if (plan.kind === 'electron') app.setLoginItemSettings(plan.settings);
  if (plan.kind === 'autostart-file') {
    if (plan.contents === null) rmSync(plan.file, { force: true });
    else {
      mkdirSync(dirname(plan.file), { recursive: true });
      writeFileSync(plan.file, plan.contents);
    }
  }
}
