/**
 * Closing the window keeps ClassBridge running (the schedules go on in the engine); only Quit —
 * from the tray, the app menu or the system — ends it. The first time, a notification says so.
 */
export interface CloseInput {
  /** Quit was asked for (before-quit): the window really closes. */
  quitting: boolean;
  /** The hint was shown before (desktop-state.ts). */
  closeHintShown: boolean;
  platform: NodeJS.Platform;
}

export interface CloseDecision {
  action: 'hide' | 'close';
  /** The one-time hint, when it is due. */
  notify?: { title: string; body: string };
  closeHintShown: boolean;
}

export function decideClose(input: CloseInput): CloseDecision {
  if (input.quitting) return { action: 'close', closeHintShown: input.closeHintShown };
  if (input.closeHintShown) return { action: 'hide', closeHintShown: true };
  return {
    action: 'hide',
    closeHintShown: true,
    notify: {
      title: 'ClassBridge is still running',
      // Some Linux desktops hide tray icons: starting ClassBridge again always brings the window back.
      body: `It keeps syncing on schedule in the background. Open it from its icon in the ${trayPlace(input.platform)} (or start ClassBridge again); to stop it, choose Quit there.`,
    },
  };
}

export function trayPlace(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'menu bar';
  if (platform === 'win32') return 'notification area';
  return 'system tray';
}
