import { describe, expect, it } from 'vitest';
import { decodeCsv } from './decodeCsv';

describe('decodeCsv', () => {
	it('reads UTF-8 as UTF-8', () => {
		const bytes = new TextEncoder().encode('款号,名称\nBL-1,纯棉T恤');
		expect(decodeCsv(bytes.buffer as ArrayBuffer)).toEqual({ text: '款号,名称\nBL-1,纯棉T恤', gbk: false });
	});

	it('reads what Excel saved as GBK', () => {
		// "合计,价格" in GBK: BA CF BC C6 2C BC DB B8 F1
		const bytes = new Uint8Array([0xba, 0xcf, 0xbc, 0xc6, 0x2c, 0xbc, 0xdb, 0xb8, 0xf1]);
		expect(decodeCsv(bytes.buffer)).toEqual({ text: '合计,价格', gbk: true });
	});
});
