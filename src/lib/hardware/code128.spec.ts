import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	CODE_B,
	CODE_C,
	START_B,
	START_C,
	STOP,
	code128Bars,
	code128EscPosData,
	code128Pattern,
	code128Svg,
	encodeCode128
} from './code128';

/** Independent reader: bar widths -> text, checking the checksum, as a scanner would. */
function read(bars: number[]): string {
	const patterns = Array.from({ length: 107 }, (_, v) => code128Pattern(v));
	const values: number[] = [];
	for (let i = 0; i < bars.length - 7; i += 6) values.push(patterns.indexOf(bars.slice(i, i + 6).join('')));
	expect(bars.slice(-7).join('')).toBe('2331112');
	const checksum = values.pop();
	const expected = values.reduce((s, v, i) => s + v * (i === 0 ? 1 : i), 0) % 103;
	expect(checksum).toBe(expected);
	let set = values[0] === START_C ? 'C' : 'B';
	let text = '';
	for (const v of values.slice(1)) {
		if (v === CODE_C) set = 'C';
		else if (v === CODE_B) set = 'B';
		else text += set === 'C' ? String(v).padStart(2, '0') : String.fromCharCode(v + 32);
	}
	return text;
}

describe('Code 128 symbol table', () => {
	it('has 107 patterns of 11 modules (stop 13) with an even number of bar modules', () => {
		for (let v = 0; v <= STOP; v++) {
			const widths = Array.from(code128Pattern(v), Number);
			expect(widths.reduce((a, b) => a + b, 0)).toBe(v === STOP ? 13 : 11);
			const bars = widths.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
			expect(bars % 2).toBe(0);
		}
		expect(() => code128Pattern(107)).toThrow(RangeError);
	});

	it('knows the start and stop symbols', () => {
		expect(code128Pattern(START_B)).toBe('211214');
		expect(code128Pattern(START_C)).toBe('211232');
		expect(code128Pattern(STOP)).toBe('2331112');
	});
});

describe('encodeCode128', () => {
	it('encodes "A" bar by bar', () => {
		// START B (104) 211214, "A" (33) 111323, checksum (104 + 33) % 103 = 34 -> 131123, stop.
		const e = encodeCode128('A');
		expect(e.symbols).toEqual([104, 33, 34, 106]);
		expect(code128Bars('A')).toEqual([
			2, 1, 1, 2, 1, 4, 1, 1, 1, 3, 2, 3, 1, 3, 1, 1, 2, 3, 2, 3, 3, 1, 1, 1, 2
		]);
		expect(e.modules).toBe(46);
	});

	it.each([
		// 104 + W55*1 + i73*2 + k75*3 + i73*4 + p80*5 + e69*6 + d68*7 + i73*8 + a65*9 = 3281; 3281 % 103 = 88
		['Wikipedia', 88, [START_B, 55, 73, 75, 73, 80, 69, 68, 73, 65]],
		// 104 + P48 + J42*2 + J42*3 + 1(17)*4 + 2(18)*5 + 3(19)*6 + C35*7 = 879; 879 % 103 = 55 (3 digits: stay in B)
		['PJJ123C', 55, [START_B, 48, 42, 42, 17, 18, 19, 35]],
		// all digits, even: start C; 105 + 12 + 34*2 = 185; 185 % 103 = 82
		['1234', 82, [START_C, 12, 34]],
		// 105 + 12 + 34*2 + 56*3 + 78*4 = 665; 665 % 103 = 47
		['12345678', 47, [START_C, 12, 34, 56, 78]],
		// two digits alone: START C 12 is shorter than START B 1 2; 105 + 12 = 117 % 103 = 14
		['12', 14, [START_C, 12]]
	])('%s has checksum %i', (value, checksum, data) => {
		const e = encodeCode128(value);
		expect(e.checksum).toBe(checksum);
		expect(e.symbols).toEqual([...data, checksum, STOP]);
	});

	it('switches to C only for digit runs that pay for it', () => {
		expect(encodeCode128('B01-T2-20261122-0042').segments).toEqual([
			{ set: 'B', text: 'B01-T2-' },
			{ set: 'C', text: '20261122' },
			{ set: 'B', text: '-' },
			{ set: 'C', text: '0042' }
		]);
		// 7 digits inside text: 6 go to C, the odd one stays with the B text after them.
		expect(encodeCode128('A1234567B').segments).toEqual([
			{ set: 'B', text: 'A' },
			{ set: 'C', text: '123456' },
			{ set: 'B', text: '7B' }
		]);
		// odd run at the end: the spare digit goes first, in B.
		expect(encodeCode128('AB12345').segments).toEqual([
			{ set: 'B', text: 'AB1' },
			{ set: 'C', text: '2345' }
		]);
		// 4 digits between letters do not pay for two switches.
		expect(encodeCode128('X1234Y').segments).toEqual([{ set: 'B', text: 'X1234Y' }]);
	});

	it('measures the sale number the receipt prints', () => {
		// 20 symbols (start, 7 B, CODE C + 4, CODE B + 1, CODE C + 2, checksum, stop) = 19 * 11 + 13 modules.
		expect(encodeCode128('B01-T2-20261122-0042').modules).toBe(222);
	});

	it('rejects what Code 128 B/C cannot carry', () => {
		expect(() => encodeCode128('')).toThrow(RangeError);
		expect(() => encodeCode128('合计')).toThrow(RangeError);
		expect(() => encodeCode128('a\tb')).toThrow(RangeError);
	});

	it('round-trips any printable ASCII through an independent reader', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[\x20-\x7e]{1,40}$/), (value) => {
				const bars = code128Bars(value);
				expect(read(bars)).toBe(value);
				expect(bars.reduce((a, b) => a + b, 0)).toBe(encodeCode128(value).modules);
			})
		);
	});

	it('never encodes longer than plain code set B', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[0-9A-Z-]{1,30}$/), (value) => {
				expect(encodeCode128(value).symbols.length).toBeLessThanOrEqual(value.length + 3);
			})
		);
	});
});

describe('code128EscPosData', () => {
	it('selects code sets explicitly and sends C digits as byte values', () => {
		expect(code128EscPosData('B01-T2-20261122-0042')).toBe('{BB01-T2-{C\x14\x1a\x0b\x16{B-{C\x00\x2a');
		expect(code128EscPosData('a{b')).toBe('{Ba{{b');
	});
});

describe('code128Svg', () => {
	it('draws one rectangle per bar inside the quiet zones', () => {
		const svg = code128Svg('A', { height: 40, moduleWidth: 2 });
		expect(svg).toMatch(/^<svg /);
		expect(svg).toContain('viewBox="0 0 132 40"'); // (46 + 2 * 10) modules * 2
		expect(svg.match(/M/g)).toHaveLength(13); // 3 bars per symbol, 4 in the stop
		expect(svg).toContain('M20 0h4v40h-4z'); // first bar: 2 modules wide after a 10-module quiet zone
		expect(svg).toContain('aria-label="A"');
	});

	it('escapes the label', () => {
		expect(code128Svg('<&>', { height: 10, moduleWidth: 1 })).toContain('aria-label="&#60;&#38;&#62;"');
	});
});
