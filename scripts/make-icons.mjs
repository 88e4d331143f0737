#!/usr/bin/env node
/**
 * Generates the PWA icons under static/icons/ with Node built-ins only (node:zlib for PNG deflate).
 * A white "B" on the Branchline green; the maskable variant keeps the glyph inside the 80 % safe zone
 * and fills the whole square, the regular ones use rounded corners on a transparent background.
 *
 *   node scripts/make-icons.mjs        # writes static/icons/*.png (commit the results)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'static', 'icons');

const GREEN = [0x0f, 0x51, 0x32];
const WHITE = [0xff, 0xff, 0xff];
const ACCENT = [0xf2, 0xc1, 0x4e];

// --- PNG encoding -------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes) {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/** rgba: Uint8Array of size*size*4 */
function encodePng(size, rgba) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 6; // colour type RGBA
	header[10] = 0; // compression
	header[11] = 0; // filter
	header[12] = 0; // no interlace
	const raw = Buffer.alloc((size * 4 + 1) * size);
	for (let y = 0; y < size; y++) {
		raw[y * (size * 4 + 1)] = 0; // filter: none
		Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

// --- Shapes (unit square coordinates, y down) ---------------------------------------------------

const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** A bowl of the B: a rectangle joined to a half disc on the right, with a matching hole. */
function inBowl(x, y, top, bottom, reach, stroke) {
	const r = (bottom - top) / 2;
	const cy = top + r;
	const outer = inRect(x, y, 0, top, reach, bottom) || (x >= reach && inCircle(x, y, reach, cy, r));
	const hr = r - stroke;
	const hole =
		inRect(x, y, stroke, top + stroke, reach, bottom - stroke) ||
		(x >= reach && inCircle(x, y, reach, cy, hr));
	return outer && !hole;
}

/** The letter B in a glyph box (gx, gy) ∈ [0,1]². */
function inGlyph(gx, gy) {
	const stroke = 0.2;
	if (inRect(gx, gy, 0, 0, stroke, 1)) return true;
	return (
		inBowl(gx, gy, 0, 0.5 + stroke / 4, 0.5, stroke) || inBowl(gx, gy, 0.5 - stroke / 4, 1, 0.58, stroke)
	);
}

function inRoundedSquare(x, y, radius) {
	const cx = Math.min(Math.max(x, radius), 1 - radius);
	const cy = Math.min(Math.max(y, radius), 1 - radius);
	return inCircle(x, y, cx, cy, radius);
}

/** Colour of a point of the icon, or null for transparent. */
function sample(x, y, maskable) {
	// The glyph box: centred, smaller on maskable icons so it survives a circular mask.
	const box = maskable ? 0.46 : 0.56;
	const left = 0.5 - box * 0.42;
	const top = 0.5 - box / 2 - 0.03;
	const gx = (x - left) / box;
	const gy = (y - top) / box;
	if (!maskable && !inRoundedSquare(x, y, 0.18)) return null;
	if (inGlyph(gx, gy)) return WHITE;
	// A short accent line under the letter: the "line" in Branchline.
	if (inRect(gx, gy, 0, 1.1, 0.86, 1.18)) return ACCENT;
	return GREEN;
}

function render(size, maskable) {
	const rgba = new Uint8Array(size * size * 4);
	const ss = 4; // 4x4 supersampling for smooth edges
	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			let r = 0;
			let g = 0;
			let b = 0;
			let a = 0;
			for (let sy = 0; sy < ss; sy++) {
				for (let sx = 0; sx < ss; sx++) {
					const colour = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, maskable);
					if (!colour) continue;
					r += colour[0];
					g += colour[1];
					b += colour[2];
					a += 1;
				}
			}
			const i = (py * size + px) * 4;
			if (a > 0) {
				rgba[i] = Math.round(r / a);
				rgba[i + 1] = Math.round(g / a);
				rgba[i + 2] = Math.round(b / a);
			}
			rgba[i + 3] = Math.round((a / (ss * ss)) * 255);
		}
	}
	return encodePng(size, rgba);
}

const icons = [
	{ file: 'icon-192.png', size: 192, maskable: false },
	{ file: 'icon-512.png', size: 512, maskable: false },
	{ file: 'icon-maskable-512.png', size: 512, maskable: true },
	{ file: 'apple-touch-icon-180.png', size: 180, maskable: true }
];

mkdirSync(outDir, { recursive: true });
for (const { file, size, maskable } of icons) {
	const png = render(size, maskable);
	writeFileSync(path.join(outDir, file), png);
	console.log(`wrote static/icons/${file} (${size}x${size}, ${png.length} bytes)`);
}
