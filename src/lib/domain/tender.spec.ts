import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fen, type Fen } from './money';
import {
	assertSettled,
	quickCashOptions,
	settle,
	validateTender,
	type Tender,
	type TenderKind
} from './tender';

const code = (c: string) => expect.objectContaining({ code: c });
let n = 0;
const t = (kind: TenderKind, amount: number, extra: Partial<Tender> = {}): Tender => ({
	id: `t${++n}`,
	kind,
	amount: amount as Fen,
	...extra
});

describe('settle', () => {
	it.each([
		['nothing paid', 10000, [], 0, 10000, 0, false],
		['exact cash', 10000, [t('cash', 10000)], 10000, 0, 0, true],
		['cash with change', 8750, [t('cash', 10000)], 10000, 0, 1250, true],
		['exact wechat', 8750, [t('wechat', 8750)], 8750, 0, 0, true],
		[
			'part wechat, rest cash with change',
			15000,
			[t('wechat', 5000), t('cash', 20000)],
			25000,
			0,
			10000,
			true
		],
		[
			'cash first, then wallet, change from cash',
			15000,
			[t('cash', 20000), t('alipay', 1000)],
			21000,
			0,
			6000,
			true
		],
		['partial', 15000, [t('unionpay', 5000)], 5000, 10000, 0, false],
		['zero total', 0, [], 0, 0, 0, true]
	] as const)('%s', (_name, total, tenders, paid, remaining, change, settled) => {
		expect(settle(fen(total), tenders)).toEqual({ paid, remaining, change, settled });
	});

	it.each([
		['wallet above total', 10000, [t('wechat', 10001)]],
		['wallets together above total', 10000, [t('wechat', 6000), t('alipay', 6000)]],
		['stored value above total', 500, [t('storedValue', 501)]],
		['points above total after cash', 500, [t('cash', 100), t('points', 600, { points: 600 })]]
	])('refuses non-cash overpayment: %s', (_name, total, tenders) => {
		expect(() => settle(fen(total), tenders)).toThrowError(code('tender.overpaidNonCash'));
	});

	it.each([0, -100, 12.5, Number.NaN])('refuses a tender of %s fen', (amount) => {
		expect(() => settle(fen(1000), [t('cash', amount)])).toThrowError(code('tender.badAmount'));
	});

	it('refuses a negative total and unknown kinds', () => {
		expect(() => settle(-1 as Fen, [])).toThrowError(code('tender.badAmount'));
		expect(() => settle(fen(100), [t('bitcoin' as TenderKind, 100)])).toThrowError(
			code('tender.unknownKind')
		);
	});

	it('conserves money: paid = total - remaining + change, and change only from cash', () => {
		const kinds: TenderKind[] = ['cash', 'wechat', 'alipay', 'unionpay', 'storedValue'];
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 10_000_000 }),
				fc.array(
					fc.record({ kind: fc.constantFrom(...kinds), amount: fc.integer({ min: 1, max: 5_000_000 }) }),
					{
						maxLength: 6
					}
				),
				(total, raw) => {
					const tenders = raw.map((r) => t(r.kind, r.amount));
					const nonCash = raw.filter((r) => r.kind !== 'cash').reduce((s, r) => s + r.amount, 0);
					const cash = raw.filter((r) => r.kind === 'cash').reduce((s, r) => s + r.amount, 0);
					if (nonCash > total) {
						expect(() => settle(fen(total), tenders)).toThrowError(code('tender.overpaidNonCash'));
						return;
					}
					const s = settle(fen(total), tenders);
					expect(s.paid).toBe(total - s.remaining + s.change);
					expect(s.remaining * s.change).toBe(0);
					expect(s.change).toBeLessThanOrEqual(cash);
					expect(s.settled).toBe(s.remaining === 0);
					// Order of tenders never matters.
					expect(settle(fen(total), [...tenders].reverse())).toEqual(s);
				}
			)
		);
	});
});

describe('assertSettled', () => {
	it('returns the settlement when covered and every tender is valid', () => {
		expect(assertSettled(fen(500), [t('wechat', 500, { reference: '4200001' })]).settled).toBe(true);
	});
	it('throws tender.notSettled with what is left', () => {
		expect(() => assertSettled(fen(500), [t('cash', 200)])).toThrowError(
			expect.objectContaining({ code: 'tender.notSettled', params: { remaining: '3.00' } })
		);
	});
	it('throws for a wallet tender without reference even if covered', () => {
		expect(() => assertSettled(fen(500), [t('alipay', 500)])).toThrowError(code('tender.missingReference'));
	});
});

describe('validateTender', () => {
	it.each([
		t('cash', 100),
		t('wechat', 100, { reference: '4200001234' }),
		t('alipay', 100, { reference: '2026112200001' }),
		t('unionpay', 100, { reference: 'slip 000123' }),
		t('storedValue', 100),
		t('points', 100, { points: 1000 })
	])('accepts %j', (tender) => {
		expect(() => validateTender(tender)).not.toThrow();
	});

	it.each([
		[t('wechat', 100), 'tender.missingReference'],
		[t('alipay', 100, { reference: '   ' }), 'tender.missingReference'],
		[t('unionpay', 100, { reference: '' }), 'tender.missingReference'],
		[t('cash', 0), 'tender.badAmount'],
		[t('cash', 1.5), 'tender.badAmount'],
		[t('points', 100), 'tender.badAmount'],
		[t('points', 100, { points: -5 }), 'tender.badAmount'],
		[t('voucher' as TenderKind, 100), 'tender.unknownKind']
	])('refuses %j with %s', (tender, errorCode) => {
		expect(() => validateTender(tender)).toThrowError(code(errorCode));
	});
});

describe('quickCashOptions', () => {
	const yuan = (...values: number[]) => values.map((v) => Math.round(v * 100));
	it.each([
		[37.5, [37.5, 40, 50, 100]],
		[132, [132, 140, 150, 200]],
		[268, [268, 270, 280, 300]],
		[10, [10, 20, 50, 100]],
		[100, [100]],
		[0.5, [0.5, 10, 20, 50, 100]],
		[9.99, [9.99, 10, 20, 50, 100]],
		[51, [51, 60, 100]],
		[199, [199, 200]],
		[1234.56, [1234.56, 1240, 1250, 1300]]
	])('¥%s -> %j', (due, expected) => {
		expect(quickCashOptions(fen(Math.round(due * 100)))).toEqual(yuan(...expected));
	});

	it('offers nothing when nothing is due and refuses a negative amount', () => {
		expect(quickCashOptions(fen(0))).toEqual([]);
		expect(() => quickCashOptions(-1 as Fen)).toThrowError(code('tender.badAmount'));
	});

	it('always starts with the exact amount, then distinct ascending amounts that cover it (max 5)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 100_000_000 }), (due) => {
				const options = quickCashOptions(fen(due));
				expect(options[0]).toBe(due);
				expect(options.length).toBeLessThanOrEqual(5);
				for (let i = 1; i < options.length; i++) {
					expect(options[i]).toBeGreaterThan(options[i - 1] as number);
					expect((options[i] as number) % 1000).toBe(0);
				}
			})
		);
	});
});
