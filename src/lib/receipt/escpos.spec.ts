import { describe, expect, it } from 'vitest';
import { richSale, smallSale, testContext } from './fixtures';
import { barcodeFits, encodeReceiptEscPos } from './escpos';
import { buildReceiptDocument, type ReceiptWidth } from './layout';
import { displayWidth } from './text';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const ascii = (text: string) =>
	Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
const sp = (n: number) => Array(n).fill('20').join(' ');
const rep = (byte: string, n: number) => Array(n).fill(byte).join(' ');
const LF = '0a';

function encode(sale = smallSale(), width: ReceiptWidth = 58) {
	return encodeReceiptEscPos(buildReceiptDocument(sale, testContext(width)), { width, codepage: 'gb18030' });
}

/** The small sale, byte by byte, written out by hand from the ESC/POS manual and a GB2312 table. */
function expectedSmallReceipt(cols: 32 | 48): string {
	// prettier-ignore
	return [
		'1b 40', // ESC @ initialize
		'1c 2e', // FS . cancel Chinese mode (sent by the encoder's initialize)
		'1b 4d 00', // ESC M 0 font A
		'1c 26', // FS & Chinese mode
		'1d 21 11', sp((cols / 2 - 4) / 2), 'd2 c2 c9 d0', '1d 21 00', LF, // GS ! double size, 衣尚 centred in half the cells
		sp((cols - 6) / 2), 'b3 af d1 f4 b5 ea', LF, // 朝阳店 centred
		rep('2d', cols), LF, // ----
		'b5 a5 ba c5', sp(cols - 4 - 7), ascii('T2-0042'), LF, // 单号
		'ca b1 bc e4', sp(cols - 4 - 16), ascii('2026-11-22 14:05'), LF, // 时间
		'ca d5 d2 f8 d4 b1', sp(cols - 6 - 4), 'cd f5 b7 bc', LF, // 收银员 王芳
		rep('2d', cols), LF,
		'54 d0 f4', LF, // T恤
		sp(2), ascii('L/'), 'b0 d7 c9 ab', ascii(' 1 x 99.00'), sp(cols - 18 - 5), ascii('99.00'), LF, // L/白色
		rep('3d', cols), LF, // ====
		'ba cf bc c6', sp(cols - 4 - 5), ascii('99.00'), LF, // 合计
		'1b 45 01', 'd3 a6 ca d5', sp(cols - 4 - 5), ascii('99.00'), '1b 45 00', LF, // ESC E bold 应收
		rep('2d', cols), LF,
		'cf d6 bd f0', sp(cols - 4 - 6), ascii('100.00'), LF, // 现金
		'd5 d2 c1 e3', sp(cols - 4 - 4), ascii('1.00'), LF, // 找零
		rep('2d', cols), LF,
		'1b 61 01', // ESC a 1 centre
		'1d 68 3c', '1d 77 02', '1d 48 00', // GS h 60 dots, GS w 2 dots, GS H no human-readable text
		'1d 6b 49 09', ascii('{BT2-{C'), '00 2a', LF, // GS k CODE128, 9 bytes: B "T2-", C 00 42
		'1b 61 00', // ESC a 0 left
		'1b 61 01',
		'1d 28 6b 04 00 31 41 32 00', // GS ( k model 2
		'1d 28 6b 03 00 31 43 06', // module size 6
		'1d 28 6b 03 00 31 45 31', // error correction M
		'1d 28 6b 0a 00 31 50 30', ascii('T2-0042'), // store 7 bytes (+3)
		'1d 28 6b 03 00 31 51 30', LF, // print
		'1b 61 00',
		LF, LF, LF, LF, // feed past the cutter
		'1d 56 01' // GS V 1 partial cut
	].join(' ');
}

describe('encodeReceiptEscPos', () => {
	it('encodes the small sale for 58 mm paper byte for byte', () => {
		expect(hex(encode(smallSale(), 58))).toBe(expectedSmallReceipt(32));
	});

	it('encodes the small sale for 80 mm paper byte for byte', () => {
		expect(hex(encode(smallSale(), 80))).toBe(expectedSmallReceipt(48));
	});

	it('starts with ESC @ and switches to Chinese mode before any text', () => {
		const h = hex(encode(richSale(), 80));
		expect(h.startsWith('1b 40 ')).toBe(true);
		expect(h.indexOf('1c 26')).toBeLessThan(h.indexOf('ba cf bc c6'));
		expect(h.lastIndexOf('1c 2e')).toBeLessThan(h.indexOf('1c 26'));
	});

	it('prints the words in GB18030', () => {
		const h = hex(encode(richSale(), 58));
		expect(h).toContain('ba cf bc c6'); // 合计
		expect(h).toContain('d3 a6 ca d5'); // 应收
		expect(h).toContain('c4 a8 c1 e3'); // 抹零
		expect(h).toContain('ce a2 d0 c5 20 2a 2a 2a 2a 31 32 33 34'); // 微信 ****1234
	});

	it('ends with a cut', () => {
		for (const width of [58, 80] as const)
			expect(hex(encode(richSale(), width)).endsWith('1d 56 01')).toBe(true);
	});

	it('right-aligns the amount due to the paper edge', () => {
		for (const width of [58, 80] as const) {
			const h = hex(encode(richSale(), width));
			const start = h.indexOf('1b 45 01 ') + 9; // bold on
			const end = h.indexOf(' 1b 45 00', start); // bold off
			const bytes = Uint8Array.from(h.slice(start, end).split(' '), (b) => parseInt(b, 16));
			const line = new TextDecoder('gb18030').decode(bytes);
			expect(line.startsWith('应收')).toBe(true);
			expect(line.endsWith(' 387.00')).toBe(true);
			expect(displayWidth(line)).toBe(width === 58 ? 32 : 48);
		}
	});

	it('prints the sale number as Code 128 with our code sets when it fits, and always as QR', () => {
		const wide = hex(encode(richSale(), 80));
		const data = ascii('{BB01-T2-{C') + ' 14 1a 0b 16 ' + ascii('{B-{C') + ' 00 2a';
		expect(wide).toContain(`1d 6b 49 16 ${data}`); // 22 bytes of data
		expect(wide).toContain(`1d 28 6b 17 00 31 50 30 ${ascii('B01-T2-20261122-0042')}`);

		// 222 modules + quiet zones at 2 dots = 484 dots: wider than the 384 of 58 mm paper, so no barcode there.
		const narrow = hex(encode(richSale(), 58));
		expect(narrow).not.toContain('1d 6b');
		expect(narrow).toContain(`1d 28 6b 17 00 31 50 30 ${ascii('B01-T2-20261122-0042')}`);
	});

	it('keeps printer commands hidden in data out of the stream', () => {
		const sale = smallSale();
		sale.lines[0]!.name = 'T恤\u001bp\u0000\u0019\u00fa'; // ESC p 0 25 250: kick the cash drawer
		expect(hex(encode(sale))).not.toContain('1b 70');
	});

	it('refuses a document laid out for other paper', () => {
		const doc = buildReceiptDocument(smallSale(), testContext(58));
		expect(() => encodeReceiptEscPos(doc, { width: 80, codepage: 'gb18030' })).toThrow(/58 mm/);
	});
});

describe('barcodeFits', () => {
	it.each([
		['T2-0042', 58, true],
		['B01-T2-20261122-0042', 58, false],
		['B01-T2-20261122-0042', 80, true],
		['6901234567892', 58, true], // 13 digits: mostly code set C
		['合计', 80, false]
	] as const)('%s on %i mm: %s', (value, width, fits) => {
		expect(barcodeFits(value, width)).toBe(fits);
	});
});
