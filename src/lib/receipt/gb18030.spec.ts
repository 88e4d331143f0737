import { describe, expect, it } from 'vitest';
import { encodeGb18030 } from './gb18030';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const decode = (bytes: Uint8Array) => new TextDecoder('gb18030').decode(bytes);

describe('encodeGb18030', () => {
	it.each([
		['合计', 'ba cf bc c6'],
		['ABC 12.50', '41 42 43 20 31 32 2e 35 30'],
		['应收', 'd3 a6 ca d5'],
		['￥', 'a3 a4'],
		['×', 'a1 c1'],
		['€', 'a2 e3'], // two-byte in GB18030 (0x80 is the single-byte form only in the decoder)
		['¥', '81 30 84 36'], // U+00A5 has no two-byte code
		['\u0080', '81 30 81 30'], // four-byte pointer 0
		['𠀀', '95 32 82 36'], // U+20000, supplementary plane
		['\ue5e5', '3f'] // unencodable by the standard
	])('%s -> %s', (text, bytes) => {
		expect(hex(encodeGb18030(text))).toBe(bytes);
	});

	it('replaces lone surrogates with the replacement byte', () => {
		expect(hex(encodeGb18030('a\ud800b', 0x20))).toBe('61 20 62');
	});

	it('round-trips every BMP character outside the private use area', () => {
		// PUA code points that GB18030-2022 remapped to real characters are no longer decodable, hence unencodable.
		let text = '';
		for (let cp = 0x80; cp < 0x10000; cp++) {
			if ((cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xe000 && cp <= 0xf8ff) || cp === 0xfffd) continue;
			text += String.fromCharCode(cp);
		}
		expect(decode(encodeGb18030(text)) === text).toBe(true); // (a diff of 60k characters helps nobody)
	});

	it('round-trips a receipt-like mixed string', () => {
		const text = '经典圆领T恤 L/白色 2x99.00 满300减50 抹零 微信 ****1234 找零 繁體字';
		expect(decode(encodeGb18030(text))).toBe(text);
	});
});
