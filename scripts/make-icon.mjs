#!/usr/bin/env node
// Renders resources/icon.png (1024×1024 RGBA) from the geometry of resources/icon.svg, with node:zlib only,
// so the installers' icon is reproducible without image tools. electron-builder derives the .icns (macOS)
// and .ico (Windows) from this PNG. Run: npm run icon
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 1024;
const SUPERSAMPLE = 4;
const BACKGROUND = [0x25, 0x63, 0xa8];
const WHITE = [0xff, 0xff, 0xff];

/** The same shapes as icon.svg, in its 1024-unit coordinates: null outside the icon, else a colour. */
function colourAt(x, y) {
  if (!inRoundedRect(x, y, 64, 64, 960, 960, 192)) return null;
  const inOuter = x >= 272 && x < 752 && y >= 272 && y < 752;
  const inInner = x >= 328 && x < 696 && y >= 328 && y < 696;
  const inHalf = x >= 328 && x < 512 && y >= 328 && y < 696;
  return (inOuter && !inInner) || inHalf ? WHITE : BACKGROUND;
}

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x >= x1 || y < y0 || y >= y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Raw PNG scanlines (filter byte 0 + RGBA), each pixel averaged over SUPERSAMPLE² samples. */
function render() {
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < SIZE; py++) {
    const row = py * (1 + SIZE * 4);
    for (let px = 0; px < SIZE; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = colourAt(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const o = row + 1 + px * 4;
      // Colour averaged over covered samples (straight alpha), alpha = coverage.
      rows[o] = a ? Math.round(r / a) : 0;
      rows[o + 1] = a ? Math.round(g / a) : 0;
      rows[o + 2] = a ? Math.round(b / a) : 0;
      rows[o + 3] = Math.round((255 * a) / n);
    }
  }
  return rows;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(render(), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icon.png');
writeFileSync(out, png);
console.log(`Wrote ${out} (${SIZE}×${SIZE}, ${png.length.toLocaleString('en')} bytes)`);
