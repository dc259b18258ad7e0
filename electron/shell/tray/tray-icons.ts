/**
 * The tray icons, drawn as PNGs by plain code (no image tools, no files to package): one shape AND
 * one colour per state, so colour is never the only signal — a disc with a tick (OK), circling
 * arrows (syncing), a triangle with "!" (problem), two bars (paused). macOS gets black template
 * images of the same shapes, which the menu bar tints itself. scripts/tray-icons.mjs writes the
 * same images to build/tray/ to look at.
 */
import { deflateSync } from 'node:zlib';

export const TRAY_ICON_STATES = ['ok', 'syncing', 'problem', 'paused'] as const;
export type TrayIconName = (typeof TRAY_ICON_STATES)[number];

/** Mid tones that read on light and dark taskbars alike. */
export const TRAY_COLOURS: Record<TrayIconName, readonly [number, number, number]> = {
  ok: [0x2e, 0x9d, 0x47],
  syncing: [0x1e, 0x88, 0xe5],
  problem: [0xe5, 0x39, 0x35],
  paused: [0x8a, 0x8a, 0x8a],
};

/** Is the point (x, y), in a unit square with y downwards, inside the state's shape? */
const SHAPES: Record<TrayIconName, (x: number, y: number) => boolean> = {
  ok: (x, y) => {
    if (Math.hypot(x - 0.5, y - 0.5) > 0.46) return false;
    // The tick is cut out of the disc.
    return segment(x, y, 0.27, 0.52, 0.43, 0.68) > 0.07 && segment(x, y, 0.43, 0.68, 0.74, 0.35) > 0.07;
  },
  syncing: (x, y) => {
    const r = Math.hypot(x - 0.5, y - 0.5);
    const angle = (Math.atan2(y - 0.5, x - 0.5) * 180) / Math.PI + 180; // 0..360
    // Two arcs with gaps at the top right and bottom left, each ending in an arrowhead.
    const onArc = r > 0.27 && r < 0.42 && !(angle > 100 && angle < 145) && !(angle > 280 && angle < 325);
    const head1 = triangle(x, y, [0.64, 0.05], [0.95, 0.2], [0.62, 0.38]);
    const head2 = triangle(x, y, [0.36, 0.95], [0.05, 0.8], [0.38, 0.62]);
    return onArc || head1 || head2;
  },
  problem: (x, y) => {
    if (!triangle(x, y, [0.5, 0.04], [0.98, 0.92], [0.02, 0.92])) return false;
    // The "!" is cut out of the triangle.
    const bar = Math.abs(x - 0.5) < 0.065 && y > 0.32 && y < 0.62;
    const dot = Math.hypot(x - 0.5, y - 0.76) < 0.07;
    return !bar && !dot;
  },
  paused: (x, y) => (y > 0.1 && y < 0.9 && x > 0.17 && x < 0.41) || (y > 0.1 && y < 0.9 && x > 0.59 && x < 0.83),
};

/** A square RGBA PNG of the state's icon; `template`: black shape for macOS's menu bar. */
export function trayIconPng(state: TrayIconName, size: number, options: { template?: boolean } = {}): Buffer {
  const [r, g, b] = options.template ? [0, 0, 0] : TRAY_COLOURS[state];
  const inside = SHAPES[state];
  const samples = 4; // 4 × 4 samples per pixel: smooth edges at 16 px
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          if (inside((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
        }
      }
      const alpha = Math.round((255 * hits) / (samples * samples));
      if (alpha > 0) row.set([r, g, b, alpha], 1 + px * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Distance from (x, y) to the segment (ax, ay)–(bx, by). */
function segment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function triangle(x: number, y: number, a: readonly number[], b: readonly number[], c: readonly number[]): boolean {
  const side = (p: readonly number[], q: readonly number[]) =>
    (q[0]! - p[0]!) * (y - p[1]!) - (q[1]! - p[1]!) * (x - p[0]!);
  const [d1, d2, d3] = [side(a, b), side(b, c), side(c, a)];
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
}
