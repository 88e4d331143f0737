import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectWallet, maskPaymentCode } from './wallet';

const digits = (n: number) => '1234567890'.repeat(3).slice(0, n);

describe('detectWallet', () => {
	it.each([
		// WeChat: 18 digits, 10-15
		['10' + digits(16), 'wechat'],
		['134567890123456789', 'wechat'],
		['15' + digits(16), 'wechat'],
		['  134567890123456789\r\n', 'wechat'],
		['16' + digits(16), null],
		['09' + digits(16), null],
		['13' + digits(15), null],
		['13' + digits(17), null],
		// Alipay: 16-24 digits, 25-30
		['25' + digits(14), 'alipay'],
		['28' + digits(16), 'alipay'],
		['30' + digits(22), 'alipay'],
		['286123456789012345', 'alipay'],
		['24' + digits(16), null],
		['31' + digits(16), null],
		['28' + digits(13), null],
		['28' + digits(23), null],
		// UnionPay: 19 digits, 62
		['62' + digits(17), 'unionpay'],
		['62' + digits(16), null],
		['62' + digits(18), null],
		// Not payment codes
		['6901234567892', null],
		['', null],
		['13456789012345678a', null],
		['1345 6789 0123 4567 89', null],
		['１３４５６７８９０１２３４５６７８９', null]
	])('%j -> %s', (code, kind) => {
		expect(detectWallet(code)).toBe(kind);
	});

	it('never takes an EAN-13 or UPC-A product barcode for a payment code', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^\d{12,13}$/), (code) => {
				expect(detectWallet(code)).toBeNull();
			})
		);
	});
});

describe('maskPaymentCode', () => {
	it.each([
		['134567890123456789', '1345**********6789'],
		['12345678', '********'],
		['', '']
	])('%s -> %s', (code, masked) => {
		expect(maskPaymentCode(code)).toBe(masked);
	});
});
