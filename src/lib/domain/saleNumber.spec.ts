import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatSaleNumber, localDateKey, parseSaleNumber } from './saleNumber';

const parts = (seq: number, extra = {}) => ({
	branchCode: 'B01',
	tillCode: 'T2',
	date: '20261122',
	seq,
	...extra
});
const badNumber = (field: string) =>
	expect.objectContaining({ code: 'sale.badNumber', params: expect.objectContaining({ field }) });

describe('formatSaleNumber', () => {
	it.each([
		[1, 'B01-T2-20261122-0001'],
		[42, 'B01-T2-20261122-0042'],
		[9999, 'B01-T2-20261122-9999'],
		[10000, 'B01-T2-20261122-10000'],
		[123456, 'B01-T2-20261122-123456']
	])('seq %i -> %s', (seq, expected) => {
		expect(formatSaleNumber(parts(seq))).toBe(expected);
	});

	it.each([
		[parts(0), 'seq'],
		[parts(-1), 'seq'],
		[parts(1.5), 'seq'],
		[parts(1, { branchCode: 'b01' }), 'branchCode'],
		[parts(1, { branchCode: 'B-01' }), 'branchCode'],
		[parts(1, { branchCode: '' }), 'branchCode'],
		[parts(1, { tillCode: 'TILL-2' }), 'tillCode'],
		[parts(1, { date: '2026-11-22' }), 'date'],
		[parts(1, { date: '20260230' }), 'date'],
		[parts(1, { date: '20261301' }), 'date']
	])('refuses %j (%s)', (p, field) => {
		expect(() => formatSaleNumber(p)).toThrowError(badNumber(field));
	});

	it('accepts 29 February only in leap years', () => {
		expect(formatSaleNumber(parts(1, { date: '20280229' }))).toBe('B01-T2-20280229-0001');
		expect(() => formatSaleNumber(parts(1, { date: '20270229' }))).toThrowError(badNumber('date'));
	});
});

describe('parseSaleNumber', () => {
	it.each([
		['B01-T2-20261122-0042', parts(42)],
		['  b01-t2-20261122-0042\r\n', parts(42)],
		['B01-T2-20261122-10000', parts(10000)]
	])('%j', (input, expected) => {
		expect(parseSaleNumber(input)).toEqual(expected);
	});

	it.each([
		'B01-T2-20261122-042',
		'B01-T2-20261122-00042',
		'B01-T2-20261122-0000',
		'B01-T2-20261131-0001',
		'B01T2-20261122-0001',
		'B01-T2-2026112-0001',
		'B01-T2-20261122-0001-X',
		'6901234567892',
		''
	])('refuses %j', (input) => {
		expect(() => parseSaleNumber(input)).toThrowError(badNumber('number'));
	});

	it('round-trips any valid number', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[A-Z0-9]{1,8}$/),
				fc.stringMatching(/^[A-Z0-9]{1,8}$/),
				fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
				fc.integer({ min: 1, max: 10_000_000 }),
				(branchCode, tillCode, d, seq) => {
					const p = { branchCode, tillCode, date: localDateKey(d.getTime(), 0), seq };
					expect(parseSaleNumber(formatSaleNumber(p))).toEqual(p);
				}
			)
		);
	});
});

describe('localDateKey', () => {
	const utc = Date.UTC(2026, 10, 21, 16, 30); // 2026-11-21 16:30 UTC
	it.each([
		[utc, 480, '20261122'], // 00:30 in Beijing: already the next day
		[utc, 0, '20261121'],
		[utc, -300, '20261121'],
		[Date.UTC(2026, 11, 31, 15, 59, 59, 999), 480, '20261231'],
		[Date.UTC(2026, 11, 31, 16, 0), 480, '20270101']
	])('%i at %i min -> %s', (ms, offset, expected) => {
		expect(localDateKey(ms, offset)).toBe(expected);
	});

	it.each([[900], [-721], [30.5]])('refuses offset %s', (offset) => {
		expect(() => localDateKey(utc, offset)).toThrowError(badNumber('utcOffsetMinutes'));
	});
});
