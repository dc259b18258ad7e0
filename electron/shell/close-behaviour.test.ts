import { describe, expect, it } from 'vitest';
import { decideClose } from './close-behaviour';

describe('closing the window', () => {
  it('the first close hides the window and says once that ClassBridge keeps running in the tray', () => {
    const first = decideClose({ quitting: false, closeHintShown: false, platform: 'win32' });
    expect(first).toMatchObject({ action: 'hide', closeHintShown: true });
    expect(first.notify?.title).toBe('ClassBridge is still running');
    expect(first.notify?.body).toContain('notification area');
    const second = decideClose({ quitting: false, closeHintShown: first.closeHintShown, platform: 'win32' });
    expect(second).toEqual({ action: 'hide', closeHintShown: true });
  });

  it('names where the icon is on each system', () => {
    const body = (platform: NodeJS.Platform) =>
      decideClose({ quitting: false, closeHintShown: false, platform }).notify?.body;
    expect(body('darwin')).toContain('menu bar');
    expect(body('linux')).toContain('system tray');
    // Some Linux desktops show no tray icons: starting ClassBridge again brings the window back.
    expect(body('linux')).toContain('start ClassBridge again');
  });

  it('closes for real when quitting, without a hint', () => {
    expect(decideClose({ quitting: true, closeHintShown: false, platform: 'linux' })).toEqual({
      action: 'close',
      closeHintShown: false,
    });
  });
});
