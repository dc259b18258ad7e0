import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir';

describe('default data folder', () => {
  it("matches Electron's userData folder on each platform, and honours CLASSBRIDGE_DATA_DIR", () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe('/home/a/.config/ClassBridge');
    expect(defaultDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toMatch(
      /AppData[\\/]Roaming[\\/]ClassBridge$/,
    );
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/ClassBridge$/);
    expect(defaultDataDir({ CLASSBRIDGE_DATA_DIR: '/srv/cb' }, 'linux')).toBe('/srv/cb');
  });
});
