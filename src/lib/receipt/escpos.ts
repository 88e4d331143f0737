/**
 * ESC/POS bytes for a laid-out receipt, for the GB18030 printers sold in China (Xprinter, Gprinter, Rongta, …).
 *
 * ReceiptPrinterEncoder drives the printer (init, styles, barcode, QR code, cut) but cannot encode Chinese: its
 * CodepageEncoder is single-byte only, and its initialize() even sends FS . (cancel Chinese mode). So we send FS &
 * right after it and pass every text line as raw GB18030 bytes. The layout already padded each line in cells, so
 * the encoder's own alignment and wrapping (which count UTF-16 units, not cells) stay out of the way.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { code128EscPosData, encodeCode128 } from '$lib/hardware/code128';
import { encodeGb18030 } from './gb18030';
import {
	blockLines,
	RECEIPT_COLUMNS,
	type ReceiptDocument,
	type ReceiptLine,
	type ReceiptWidth
} from './layout';
import { sanitizeText } from './text';

/** How to encode: paper width and the printer's Chinese character set. */
export interface EscPosReceiptOptions {
	width: ReceiptWidth;
	codepage: 'gb18030';
}

/** FS & — select Chinese character mode: bytes >= 0x80 are GB18030 lead bytes from here on. */
export const FS_CHINESE_MODE = [0x1c, 0x26] as const;

/** Printable dots per line at 203 dpi: 48 mm on 58 mm paper, 72 mm on 80 mm paper. */
export const PRINTABLE_DOTS = { 58: 384, 80: 576 } as const satisfies Record<ReceiptWidth, number>;

/** Narrowest bar the printer draws (GS w 2); one dot is too thin for cheap scanners to read off thermal paper. */
const MODULE_DOTS = 2;
const QUIET_ZONE_MODULES = 10;
const BARCODE_HEIGHT_DOTS = 60;
const QR_MODULE_DOTS = 6;
/** Lines fed before the cut, so the last printed line clears the cutter blade. */
const FEED_BEFORE_CUT = 4;

/** Whether the sale number's Code 128 (with quiet zones) fits the paper at the minimum bar width. */
export function barcodeFits(value: string, width: ReceiptWidth): boolean {
	try {
		const modules = encodeCode128(value).modules + 2 * QUIET_ZONE_MODULES;
		return modules * MODULE_DOTS <= PRINTABLE_DOTS[width];
	} catch {
		return false; // not Code 128 data: the QR code still carries it
	}
}

function printLine(encoder: ReceiptPrinterEncoder, line: ReceiptLine): void {
	// Trailing padding only costs transfer time; control characters would be printer commands.
	const bytes = encodeGb18030(sanitizeText(line.text).trimEnd());
	if (line.style === 'bold') encoder.bold(true);
	if (line.style === 'large') encoder.size(2, 2);
	if (bytes.length > 0) encoder.raw(bytes);
	encoder.newline();
	if (line.style === 'bold') encoder.bold(false);
	if (line.style === 'large') encoder.size(1, 1);
}

/**
 * Encodes a receipt document as ESC/POS for a GB18030 printer: ESC @, FS &, the text lines, the sale number as
 * Code 128 (left out when it is too wide for the paper; the QR code below always carries it) and QR code, a cut.
 */
export function encodeReceiptEscPos(doc: ReceiptDocument, options: EscPosReceiptOptions): Uint8Array {
	if (options.width !== doc.width) {
		throw new Error(`Receipt laid out for ${doc.width} mm cannot be printed on ${options.width} mm paper`);
	}
	const encoder = new ReceiptPrinterEncoder({
		language: 'esc-pos',
		columns: RECEIPT_COLUMNS[options.width],
		newline: '\n',
		feedBeforeCut: FEED_BEFORE_CUT
	});
	encoder.initialize().raw([...FS_CHINESE_MODE]);

	for (const block of doc.blocks) {
		if (block.kind === 'barcode') {
			if (!barcodeFits(block.value, options.width)) continue;
			// Our own code-set choice ({B…{C…), so the width we checked is the width printed.
			encoder
				.align('center')
				.barcode(code128EscPosData(block.value), 'code128', {
					height: BARCODE_HEIGHT_DOTS,
					width: MODULE_DOTS - 1, // the encoder sends GS w (width + 1)
					text: 'none'
				})
				.align('left');
		} else if (block.kind === 'qr') {
			encoder
				.align('center')
				.qrcode(block.value, { model: 2, size: QR_MODULE_DOTS, errorlevel: 'm' })
				.align('left');
		} else {
			for (const line of blockLines(block)) printLine(encoder, line);
		}
	}

	const bytes = encoder.cut('partial').encode();
	// The encoder ends the cut's line with a LF, which would only feed blank paper at the top of the next receipt.
	return bytes.at(-1) === 0x0a && bytes.at(-2) === 0x01 && bytes.at(-3) === 0x56 ? bytes.slice(0, -1) : bytes;
}
