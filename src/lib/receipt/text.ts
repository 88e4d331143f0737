/**
 * Fixed-width text helpers for receipts, measured in printer cells.
 *
 * The width model is the one of an ESC/POS printer in Chinese (GB18030) mode: ASCII prints from the 12-dot font
 * (1 cell) and every multi-byte character — Hanzi, full-width punctuation, ￥, ×, even Latin letters with accents —
 * prints from the 24-dot font (2 cells). Measuring the same way for the on-screen preview keeps both identical.
 * Text is handled in grapheme clusters so that truncation and wrapping never split a character.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

// Marks, format characters and variation selectors take no cell of their own.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
// C0/C1 controls and DEL: in an ESC/POS stream they are commands, so printed text must never carry them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;

/** Cells one code point occupies on the printer: 0 (marks, controls), 1 (ASCII) or 2 (everything else). */
export function codePointWidth(codePoint: number): 0 | 1 | 2 {
	if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 0;
	if (codePoint < 0x7f) return 1;
	return ZERO_WIDTH.test(String.fromCodePoint(codePoint)) ? 0 : 2;
}

/** Cells one grapheme occupies: the width of its first visible code point (so emoji sequences count once). */
function graphemeWidth(grapheme: string): number {
	for (const char of grapheme) {
		const width = codePointWidth(char.codePointAt(0) ?? 0);
		if (width > 0) return width;
	}
	return 0;
}

/** Splits text into grapheme clusters, each with its width in cells. */
export function graphemes(text: string): { text: string; width: number }[] {
	return Array.from(segmenter.segment(text), (s) => ({ text: s.segment, width: graphemeWidth(s.segment) }));
}

/** Width of `text` in printer cells (CJK = 2, ASCII = 1). */
export function displayWidth(text: string): number {
	let width = 0;
	for (const g of graphemes(text)) width += g.width;
	return width;
}

/** Replaces control characters (newline, ESC, …) with a space so data can never inject printer commands. */
export function sanitizeText(text: string): string {
	return text.replace(CONTROL, ' ');
}

/** The longest prefix of `text` that fits in `width` cells; never splits a character. */
export function truncateToWidth(text: string, width: number): string {
	if (width <= 0) return '';
	let used = 0;
	let out = '';
	for (const g of graphemes(text)) {
		if (used + g.width > width) break;
		used += g.width;
		out += g.text;
	}
	return out;
}

/** `text` truncated to `width` and padded with spaces to exactly `width` cells. */
export function padEndToWidth(text: string, width: number): string {
	const cut = truncateToWidth(text, width);
	return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** `text` truncated to `width` and padded on the left to exactly `width` cells. */
export function padStartToWidth(text: string, width: number): string {
	const cut = truncateToWidth(text, width);
	return ' '.repeat(Math.max(0, width - displayWidth(cut))) + cut;
}

/** `text` centred in `width` cells (extra space goes right); truncated when too long. */
export function centerToWidth(text: string, width: number): string {
	const cut = truncateToWidth(text, width);
	const free = Math.max(0, width - displayWidth(cut));
	const left = Math.floor(free / 2);
	return ' '.repeat(left) + cut + ' '.repeat(free - left);
}

/**
 * One line of exactly `width` cells: `left` flush left, `right` flush right, at least one space between.
 * The right column (usually an amount) wins: the left one is truncated to make room.
 */
export function padColumns(left: string, right: string, width: number): string {
	const rightText = truncateToWidth(right, width);
	const rightWidth = displayWidth(rightText);
	if (rightWidth === 0) return padEndToWidth(left, width);
	const room = width - rightWidth - 1;
	if (room <= 0) return padStartToWidth(rightText, width);
	return padEndToWidth(left, room) + ' ' + rightText;
}

/**
 * Wraps text into lines of at most `width` cells (not padded). Breaks between any two CJK characters, and at the
 * last space for Latin words when it can; a word longer than a line is broken anyway. Newlines start a new line.
 */
export function wrapToWidth(text: string, width: number): string[] {
	if (width <= 0) return [];
	const lines: string[] = [];
	for (const paragraph of text.split(/\r\n|\n|\r/)) {
		let line: { text: string; width: number }[] = [];
		let used = 0;
		for (const g of graphemes(sanitizeText(paragraph))) {
			if (g.width > width) continue; // a 2-cell character can never fit a 1-cell line
			if (used + g.width > width) {
				// Prefer breaking after the last space, but only when it falls inside an ASCII word.
				const space = line.map((x) => x.text).lastIndexOf(' ');
				const breakAtSpace = g.text !== ' ' && /^[\x21-\x7e]$/.test(g.text) && space > 0;
				const head = breakAtSpace ? line.slice(0, space) : line;
				const tail = breakAtSpace ? line.slice(space + 1) : [];
				lines.push(
					head
						.map((x) => x.text)
						.join('')
						.trimEnd()
				);
				line = tail;
				used = tail.reduce((s, x) => s + x.width, 0);
				if (g.text === ' ' && line.length === 0) continue;
			}
			line.push(g);
			used += g.width;
		}
		lines.push(
			line
				.map((x) => x.text)
				.join('')
				.trimEnd()
		);
	}
	return lines;
}
