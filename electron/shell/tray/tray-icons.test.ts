import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, TRAY_COLOURS, TRAY_ICON_STATES, trayIconPng, type TrayIconName } from './tray-icons';

/** A minimal PNG reader for what trayIconPng writes: checks every chunk's CRC, returns RGBA pixels. */
function decode(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typed = png.subarray(offset + 4, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typed));
    const type = typed.subarray(0, 4).toString('ascii');
    const data = typed.subarray(4);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)]).toBe(0);
    raw.copy(pixels, y * width * 4, y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4));
  }
  return { width, height, pixels };
}

/** Which pixels are mostly covered: the shape, whatever its colour. */
function mask(state: TrayIconName, size: number): boolean[] {
  const { pixels } = decode(trayIconPng(state, size));
  return Array.from({ length: size * size }, (_, i) => pixels[i * 4 + 3]! >= 128);
}

describe('tray icons', () => {
  it('are valid RGBA PNGs at 16 and 32 px', () => {
    for (const state of TRAY_ICON_STATES) {
      for (const size of [16, 32]) {
        const { width, height } = decode(trayIconPng(state, size));
        expect([width, height]).toEqual([size, size]);
      }
    }
  });

  it('differ in shape, not only colour: every pair of states differs in at least a fifth of its pixels', () => {
    for (const a of TRAY_ICON_STATES) {
      for (const b of TRAY_ICON_STATES) {
        if (a >= b) continue;
        const [ma, mb] = [mask(a, 16), mask(b, 16)];
        const differing = ma.filter((v, i) => v !== mb[i]).length;
        expect(differing, `${a} vs ${b}`).toBeGreaterThan(256 / 5);
      }
    }
  });

  it('are drawn in their state colour, and as black templates for the macOS menu bar', () => {
    for (const state of TRAY_ICON_STATES) {
      const coloured = decode(trayIconPng(state, 16)).pixels;
      const template = decode(trayIconPng(state, 16, { template: true })).pixels;
      for (let i = 0; i < 256; i++) {
        if (coloured[i * 4 + 3] === 0) continue;
        expect([...coloured.subarray(i * 4, i * 4 + 3)]).toEqual([...TRAY_COLOURS[state]]);
        expect([...template.subarray(i * 4, i * 4 + 4)]).toEqual([0, 0, 0, coloured[i * 4 + 3]]);
      }
    }
  });
});
