/**
 * GB18030 text encoder for Chinese ESC/POS printers.
 *
 * ReceiptPrinterEncoder (v4) and its CodepageEncoder only know single-byte code pages, and the platform has no
 * GB18030 *encoder* (TextEncoder is UTF-8 only). It does have the WHATWG GB18030 *decoder*, so instead of shipping
 * a 24k-entry table we build the reverse map once, on first use, by decoding every two-byte code and every BMP
 * four-byte code in two bulk `decode` calls. Supplementary planes are algorithmic. Follows the WHATWG Encoding
 * Standard's gb18030 encoder: two-byte codes win over four-byte ones, the lowest pointer wins, U+E5E5 is an error.
 */

const TWO_BYTE_CODES = 126 * 190; // leads 0x81-0xFE x trails 0x40-0x7E, 0x80-0xFE
const FOUR_BYTE_BMP_POINTERS = 39420; // pointers 0..39419 cover the BMP; 189000.. cover U+10000..U+10FFFF

/** Per BMP code point: 0 = not encodable, > 0 = two-byte code (lead << 8 | trail), < 0 = -(four-byte pointer + 1). */
let table: Int32Array | null = null;

function fourBytes(pointer: number): [number, number, number, number] {
	const b1 = Math.floor(pointer / 12600);
	const r1 = pointer % 12600;
	const b2 = Math.floor(r1 / 1260);
	const r2 = r1 % 1260;
	return [b1 + 0x81, b2 + 0x30, Math.floor(r2 / 10) + 0x81, (r2 % 10) + 0x30];
}

function twoBytes(pointer: number): [number, number] {
	const trail = pointer % 190;
	return [Math.floor(pointer / 190) + 0x81, trail < 0x3f ? trail + 0x40 : trail + 0x41];
}

function newDecoder(): TextDecoder {
	try {
		return new TextDecoder('gb18030');
	} catch (cause) {
		throw new Error('This runtime has no GB18030 decoder, so Chinese receipt text cannot be encoded', {
			cause
		});
	}
}

function buildTable(): Int32Array {
	const decoder = newDecoder();
	const map = new Int32Array(0x10000);

	const four = new Uint8Array(FOUR_BYTE_BMP_POINTERS * 4);
	for (let p = 0; p < FOUR_BYTE_BMP_POINTERS; p++) four.set(fourBytes(p), p * 4);
	const fourText = decoder.decode(four);
	if (fourText.length !== FOUR_BYTE_BMP_POINTERS) throw new Error('Unexpected GB18030 decoder output');
	for (let p = 0; p < FOUR_BYTE_BMP_POINTERS; p++) map[fourText.charCodeAt(p)] = -(p + 1);

	const two = new Uint8Array(TWO_BYTE_CODES * 2);
	for (let p = 0; p < TWO_BYTE_CODES; p++) two.set(twoBytes(p), p * 2);
	let twoText = decoder.decode(two);
	if (twoText.length !== TWO_BYTE_CODES) {
		// A decoder with unmapped two-byte codes re-reads their ASCII trail byte; decode code by code instead.
		twoText = '';
		for (let p = 0; p < TWO_BYTE_CODES; p++)
			twoText += decoder.decode(two.subarray(p * 2, p * 2 + 2)).charAt(0);
	}
	// Descending, so that when a code point has two codes the lowest pointer is the one left standing.
	for (let p = TWO_BYTE_CODES - 1; p >= 0; p--) {
		const [lead, trail] = twoBytes(p);
		map[twoText.charCodeAt(p)] = (lead << 8) | trail;
	}

	map[0xfffd] = 0; // what the decoder produced for anything undecodable: never a real mapping here
	map[0xe5e5] = 0; // the Encoding Standard makes U+E5E5 unencodable
	return map;
}

/** Encodes text as GB18030 bytes; characters GB18030 cannot represent become `replacement` (default '?'). */
export function encodeGb18030(text: string, replacement = 0x3f): Uint8Array {
	table ??= buildTable();
	const out: number[] = [];
	for (const char of text) {
		const cp = char.codePointAt(0) ?? 0;
		if (cp < 0x80) {
			out.push(cp);
		} else if (cp >= 0x10000) {
			out.push(...fourBytes(189000 + cp - 0x10000));
		} else {
			const code = table[cp] ?? 0;
			if (code > 0) out.push(code >> 8, code & 0xff);
			else if (code < 0) out.push(...fourBytes(-code - 1));
			else out.push(replacement);
		}
	}
	return Uint8Array.from(out);
}
