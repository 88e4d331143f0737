import { describe, expect, it } from 'vitest';
import { barcodeLookupKeys, classifyBarcode, ean13FromBody, gs1CheckDigit } from './barcode';

describe('barcodes', () => {
	it.each([
		['690123456789', 2],
		['400638133393', 1],
		['03600029145', 2]
	])('check digit of %s is %i', (body, digit) => {
		expect(gs1CheckDigit(body)).toBe(digit);
	});

	it.each([
		['6901234567892', 'ean13'],
		['036000291452', 'upca'],
		['BL-0001-S', 'internal'],
		['SKU123', 'internal']
	] as const)('%s is %s', (code, kind) => {
		expect(classifyBarcode(code)).toBe(kind);
	});

	it.each([
		['6901234567893', 'catalog.badCheckDigit'],
		['036000291453', 'catalog.badCheckDigit'],
		['ab', 'catalog.badBarcode'],
		['中文', 'catalog.badBarcode'],
		['', 'catalog.badBarcode']
	])('%s is refused with %s', (code, errorCode) => {
		expect(() => classifyBarcode(code)).toThrowError(expect.objectContaining({ code: errorCode }));
	});

	it('builds a valid EAN-13 from a body', () => {
		expect(classifyBarcode(ean13FromBody('690000000001'))).toBe('ean13');
	});

	it('looks up UPC-A under its EAN-13 form too', () => {
		expect(barcodeLookupKeys('036000291452')).toEqual(['036000291452', '0036000291452']);
	});
});
