/**
 * The tray icon: thin glue that draws what tray-state.ts decides and sends the menu's actions to
 * the engine through the Api. No decisions here.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { StatusSource } from '../status-feed';
import { trayIconPng, type TrayIconName } from './tray-icons';
import { menuLabel, trayView, type TrayAction, type TrayInput, type TrayView } from './tray-state';

export interface DesktopTray {
  update(input: Omit<TrayInput, 'now'>): void;
  destroy(): void;
}

export interface TrayActions {
  engine: Pick<StatusSource, 'call'>;
  showWindow(): void;
  quit(): void;
  /** After an action the engine answered (e.g. paused): fetch the status now. */
  refresh(): void;
}

export function createDesktopTray(actions: TrayActions): DesktopTray {
  const template = process.platform === 'darwin';
  const icons = new Map<TrayIconName, NativeImage>();
  const icon = (name: TrayIconName): NativeImage => {
    let image = icons.get(name);
    if (!image) {
      image = nativeImage.createFromBuffer(trayIconPng(name, 16, { template }), { scaleFactor: 1 });
      image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(name, 32, { template }) });
      if (template) image.setTemplateImage(true);
      icons.set(name, image);
    }
    return image;
  };
  const tray = new Tray(icon('syncing'));
  // Windows and most Linux trays: a click opens the window; the menu is on right-click.
  tray.on('click', () => actions.showWindow());

  const run = (action: TrayAction): void => {
    const call = (method: string, input: unknown) =>
      void actions.engine.call(method, input).finally(() => actions.refresh());
    switch (action) {
      case 'upload-now':
        return call('sync:runNow', { target: 'upload' });
      case 'download-now':
        return call('sync:runNow', { target: 'download' });
      case 'pause':
        return call('sync:setPaused', { paused: true });
      case 'resume':
        return call('sync:setPaused', { paused: false });
      case 'open':
        return actions.showWindow();
      case 'quit':
        return actions.quit();
    }
  };

  let shown: string | undefined;
  const draw = (view: TrayView): void => {
    const key = JSON.stringify(view);
    if (key === shown) return;
    shown = key;
    tray.setImage(icon(view.icon));
    tray.setToolTip(view.tooltip);
    const items: MenuItemConstructorOptions[] = [];
    for (const item of view.menu) {
      if (item.id === 'open') items.push({ type: 'separator' });
      const id = item.id;
      items.push({
        label: menuLabel(item),
        enabled: item.enabled,
        ...(id === 'status' ? {} : { click: () => run(id) }),
      });
      if (id === 'status') items.push({ type: 'separator' });
    }
    // Linux trays only pick up a changed menu when it is set again.
    tray.setContextMenu(Menu.buildFromTemplate(items));
  };

  return {
    update: (input) => draw(trayView({ ...input, now: new Date() })),
    destroy: () => tray.destroy(),
  };
}
