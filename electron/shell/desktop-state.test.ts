import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../test-support/temp';
import { DESKTOP_STATE_FILE, loadDesktopState, saveDesktopState } from './desktop-state';

const tempDir = useTempDirs();

describe('what the desktop shell remembers', () => {
  it('starts empty, and reads back what it saved', () => {
    const dir = tempDir();
    expect(loadDesktopState(dir)).toEqual({ closeHintShown: false, notifications: { problems: [], held: [] } });
    const state = {
      closeHintShown: true,
      notifications: { problems: ['a:enrolments'], held: [], update: '1.2.0' },
      loginItem: '{"kind":"none"}',
    };
    saveDesktopState(dir, state);
    expect(loadDesktopState(dir)).toEqual(state);
  });

  it('a damaged file is a first start, not a crash', () => {
    const dir = tempDir();
    writeFileSync(join(dir, DESKTOP_STATE_FILE), '{"closeHintShown": tr');
    expect(loadDesktopState(dir).closeHintShown).toBe(false);
    writeFileSync(join(dir, DESKTOP_STATE_FILE), '{"closeHintShown": true, "notifications": 7}');
    expect(loadDesktopState(dir)).toEqual({ closeHintShown: true, notifications: { problems: [], held: [] } });
    saveDesktopState(dir, loadDesktopState(dir));
    expect(JSON.parse(readFileSync(join(dir, DESKTOP_STATE_FILE), 'utf8'))).toMatchObject({ closeHintShown: true });
  });
});
