/**
 * Barcodes on clothing tags: EAN-13 (most Chinese brands, prefix 690-699), UPC-A (imports) and internal codes
 * (letters, digits and dashes) for items printed in-house. GTINs must carry a valid check digit.
 */
import { DomainError } from './errors';

export type BarcodeKind = 'ean13' | 'upca' | 'internal';

/** GS1 check digit for the digits before it (works for EAN-8/12/13 bodies). */
export function gs1CheckDigit(body: string): number {
	let total = 0;
	// Weights alternate 3,1 starting from the rightmost digit of the body.
	for (let i = 0; i < body.length; i++) {
		const digit = body.charCodeAt(body.length - 1 - i) - 48;
		total += i % 2 === 0 ? digit * 3 : digit;
	}
	return (10 - (total % 10)) % 10;
}

/** Appends the check digit to a 12-digit EAN-13 body. */
export function ean13FromBody(body12: string): string {
	if (!/^\d{12}$/.test(body12)) throw new DomainError('catalog.badBarcode', { value: body12 });
	return body12 + String(gs1CheckDigit(body12));
}

const INTERNAL = /^[A-Za-z0-9][A-Za-z0-9-]{2,23}$/;

/**
 * Classifies and validates a barcode. 13 digits = EAN-13, 12 digits = UPC-A, both with check digit;
 * anything else of 3-24 letters/digits/dashes that is not all digits of GTIN length is an internal code.
 */
export function classifyBarcode(raw: string): BarcodeKind {
	const code = raw.trim();
	if (/^\d{13}$/.test(code)) {
		if (gs1CheckDigit(code.slice(0, 12)) !== Number(code[12]))
			throw new DomainError('catalog.badCheckDigit', { value: code });
		return 'ean13';
	}
	if (/^\d{12}$/.test(code)) {
		if (gs1CheckDigit(code.slice(0, 11)) !== Number(code[11]))
			throw new DomainError('catalog.badCheckDigit', { value: code });
		return 'upca';
	}
	if (INTERNAL.test(code)) return 'internal';
	throw new DomainError('catalog.badBarcode', { value: code });
}

/** Normalises what a scanner sends: trims and treats a UPC-A as its EAN-13 form (leading 0) for look-up. */
export function barcodeLookupKeys(raw: string): string[] {
	const code = raw.trim();
	if (/^\d{12}$/.test(code)) return [code, '0' + code];
	if (/^0\d{12}$/.test(code)) return [code, code.slice(1)];
	return [code];
}
