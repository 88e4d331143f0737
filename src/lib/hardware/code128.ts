/**
 * Code 128 encoder (ISO/IEC 15417): code set B for printable ASCII, code set C for digit runs long enough to pay
 * for the switch. Produces symbol values, bar widths for drawing, and the ESC/POS data string that makes a printer
 * print exactly the same symbols (so the width we measure here is the width that comes out of the printer).
 */

/** Bar/space widths in modules for symbol values 0..106, bar first. 106 (stop) includes its termination bar. */
// prettier-ignore
const PATTERNS = [
	'212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
	'221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
	'221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
	'212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
	'231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
	'231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
	'314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
	'112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
	'111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
	'214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
	'114131', '311141', '411131', '211412', '211214', '211232', '2331112'
];

export const START_B = 104;
export const START_C = 105;
export const CODE_B = 100;
export const CODE_C = 99;
export const STOP = 106;

/** Width pattern of one symbol value, e.g. '211214' for START_B. */
export function code128Pattern(value: number): string {
	const pattern = PATTERNS[value];
	if (pattern === undefined) throw new RangeError(`Not a Code 128 symbol value: ${value}`);
	return pattern;
}

/** A run of the input in one code set. */
export interface Code128Segment {
	set: 'B' | 'C';
	text: string;
}

/** The encoded form of a value. */
export interface Code128Encoding {
	segments: Code128Segment[];
	/** Start, data and code-switch symbols, checksum, stop. */
	symbols: number[];
	checksum: number;
	/** Total width in modules, without quiet zones. */
	modules: number;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * Splits the value into code set B and C segments. A run of k digits (k even) goes to C when that saves symbols:
 * k/2 + switches < k, where a switch is needed into C unless the run starts the value, and back to B unless it ends
 * it. An odd digit stays in B, on the side that costs no extra switch.
 */
function segment(value: string): Code128Segment[] {
	const parts: Code128Segment[] = [];
	const pushB = (text: string) => {
		if (!text) return;
		const last = parts[parts.length - 1];
		if (last?.set === 'B') last.text += text;
		else parts.push({ set: 'B', text });
	};
	const runs = value.match(/\d+|\D+/g) ?? [];
	runs.forEach((run, i) => {
		if (!/^\d/.test(run)) return pushB(run);
		const before = i > 0;
		const after = i < runs.length - 1;
		// Odd run: keep the spare digit next to B text that exists anyway (after wins, as it is free there).
		const spareFirst = run.length % 2 === 1 && before && !after;
		const spareLast = run.length % 2 === 1 && !spareFirst;
		const even = run.slice(spareFirst ? 1 : 0, spareLast ? run.length - 1 : run.length);
		const switches = (before ? 1 : 0) + (after || spareLast ? 1 : 0);
		if (even.length / 2 + switches >= even.length) return pushB(run);
		if (spareFirst) pushB(run[0] ?? '');
		parts.push({ set: 'C', text: even });
		if (spareLast) pushB(run.slice(-1));
	});
	return parts;
}

/** Encodes printable ASCII (1..80 characters) as Code 128; throws RangeError for anything else. */
export function encodeCode128(value: string): Code128Encoding {
	if (!PRINTABLE.test(value) || value.length > 80) {
		throw new RangeError('Code 128 here takes 1-80 printable ASCII characters');
	}
	const segments = segment(value);
	const symbols: number[] = [];
	segments.forEach((seg, i) => {
		if (i === 0) symbols.push(seg.set === 'C' ? START_C : START_B);
		else symbols.push(seg.set === 'C' ? CODE_C : CODE_B);
		if (seg.set === 'C') {
			for (let j = 0; j < seg.text.length; j += 2) symbols.push(Number(seg.text.slice(j, j + 2)));
		} else {
			for (const char of seg.text) symbols.push(char.charCodeAt(0) - 32);
		}
	});
	// Checksum: start value plus each data symbol times its position, modulo 103.
	const checksum = symbols.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103;
	symbols.push(checksum, STOP);
	const modules = symbols.length * 11 + 2; // the stop pattern is 13 modules
	return { segments, symbols, checksum, modules };
}

/** Alternating bar/space widths (bar first, in modules) for the whole symbol, without quiet zones. */
export function code128Bars(value: string): number[] {
	return encodeCode128(value).symbols.flatMap((v) => Array.from(code128Pattern(v), Number));
}

/**
 * The data for ESC/POS `GS k 73` that prints exactly our encoding: `{B`/`{C` select code sets, C digits are sent
 * as byte values 0-99, and a literal `{` in B is escaped as `{{`.
 */
export function code128EscPosData(value: string): string {
	return encodeCode128(value)
		.segments.map((seg) => {
			if (seg.set === 'B') return '{B' + seg.text.replaceAll('{', '{{');
			let bytes = '{C';
			for (let j = 0; j < seg.text.length; j += 2)
				bytes += String.fromCharCode(Number(seg.text.slice(j, j + 2)));
			return bytes;
		})
		.join('');
}

/** Options for the on-screen barcode. */
export interface Code128SvgOptions {
	/** Bar height in SVG user units. */
	height: number;
	/** Width of one module in SVG user units. */
	moduleWidth: number;
	/** Quiet zone on each side, in modules (Code 128 needs at least 10). */
	quietZone?: number;
}

/** An SVG string of the barcode (bars only, no text) for the on-screen receipt preview. */
export function code128Svg(
	value: string,
	{ height, moduleWidth, quietZone = 10 }: Code128SvgOptions
): string {
	const bars = code128Bars(value);
	const total = bars.reduce((s, w) => s + w, 0) + quietZone * 2;
	const width = total * moduleWidth;
	let x = quietZone;
	let path = '';
	bars.forEach((w, i) => {
		if (i % 2 === 0) path += `M${x * moduleWidth} 0h${w * moduleWidth}v${height}h${-w * moduleWidth}z`;
		x += w;
	});
	const label = value.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"` +
		` role="img" aria-label="${label}"><rect width="${width}" height="${height}" fill="#fff"/>` +
		`<path d="${path}" fill="#000"/></svg>`
	);
}
