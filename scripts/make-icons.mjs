#!/usr/bin/env node
/**
 * Makes the app's icon set from resources/icon.svg, for electron-builder (buildResources =
 * resources/): icon.png (1024 px, Linux), icon.ico (16–256 px, Windows) and icon.icns (16–1024 px,
 * macOS), each size rendered by Chromium (playwright-core; NNLAB_CHROMIUM or /usr/bin/chromium)
 * from the vector source, PNG-encoded inside the ICO and ICNS containers. The results are
 * committed; run this again after editing the SVG: node scripts/make-icons.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const resources = join(dirname(fileURLToPath(import.meta.url)), '../resources');
const svg = readFileSync(join(resources, 'icon.svg'), 'utf8');

const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types holding PNG data, by pixel size. */
const ICNS_TYPES = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]];

const browser = await chromium.launch({ executablePath: process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium' });
const page = await browser.newPage();
await page.setContent('<body style="margin:0;background:transparent"></body>');
const png = new Map();
for (const size of new Set([...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])) {
  const b64 = await page.evaluate(
    async ({ svg, size }) => {
      const img = new Image();
      img.src = `data:image/svg+xml;base64,${btoa(svg)}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = c.height = size;
      c.getContext('2d').drawImage(img, 0, 0, size, size);
      return c.toDataURL('image/png').split(',')[1];
    },
    { svg, size },
  );
  png.set(size, Buffer.from(b64, 'base64'));
}
await browser.close();

writeFileSync(join(resources, 'icon.png'), png.get(1024));

// ICO: header, one 16-byte directory entry per image (0 means 256), then the PNGs
const ico = [Buffer.alloc(6 + 16 * ICO_SIZES.length)];
ico[0].writeUInt16LE(0, 0);
ico[0].writeUInt16LE(1, 2);
ico[0].writeUInt16LE(ICO_SIZES.length, 4);
let offset = ico[0].length;
ICO_SIZES.forEach((size, i) => {
  const data = png.get(size);
  const e = 6 + 16 * i;
  ico[0].writeUInt8(size % 256, e);
  ico[0].writeUInt8(size % 256, e + 1);
  ico[0].writeUInt16LE(1, e + 4); // colour planes
  ico[0].writeUInt16LE(32, e + 6); // bits per pixel
  ico[0].writeUInt32LE(data.length, e + 8);
  ico[0].writeUInt32LE(offset, e + 12);
  offset += data.length;
  ico.push(data);
});
writeFileSync(join(resources, 'icon.ico'), Buffer.concat(ico));

// ICNS: 'icns' + total length, then (type, length including this 8-byte header, PNG) per size
const parts = ICNS_TYPES.map(([type, size]) => {
  const data = png.get(size);
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(data.length + 8, 4);
  return Buffer.concat([head, data]);
});
const head = Buffer.alloc(8);
head.write('icns', 0, 'latin1');
head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
writeFileSync(join(resources, 'icon.icns'), Buffer.concat([head, ...parts]));
console.log(`icons written to ${resources}: icon.png (1024), icon.ico (${ICO_SIZES.join(', ')}), icon.icns (${ICNS_TYPES.map(([, s]) => s).join(', ')})`);
