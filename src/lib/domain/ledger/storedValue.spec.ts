/** Top-up tiers, spend splits, refunds and bonus expiry, table-driven. */
import { describe, expect, it } from 'vitest';
import { fen, type Fen } from '../money';
import {
	dueBonusExpiries,
	planStoredValueSpend,
	planTopUp,
	refundablePrincipal,
	topUpBonus,
	type StoredValueSpendOrder,
	type TopUpTier
} from './storedValue';
import { foldStoredValue } from './fold';
import { CN, NOW, rows, stamp, type Row } from './testHelpers';
import type { StoredValueBalance } from './types';

const y = (yuan: number): Fen => fen(yuan * 100);
const tiers: TopUpTier[] = [
	{ minAmount: y(500), bonus: y(50) },
	{ minAmount: y(1000), bonus: y(120) },
	{ minAmount: y(1000), bonus: y(150), levelIds: ['vip'] },
	{ minAmount: y(300), bonus: y(20), repeat: true }
];

describe('topUpBonus', () => {
	it.each([
		['below every tier', 200, undefined, 0],
		['充500送50 beats 300 once', 500, undefined, 50],
		['每满300送20 repeats: 900 -> 60', 900, undefined, 60],
		['tiers do not add up: 1000 -> 120', 1000, undefined, 120],
		['a level tier for its level', 1000, 'vip', 150],
		['a level tier not for other levels', 1000, 'gold', 120],
		['repeat can win on big amounts: 3000 -> 200', 3000, undefined, 200]
	])('%s', (_name, amount, level, bonus) => {
		expect(topUpBonus(y(amount), tiers, level).bonus).toBe(y(bonus));
	});

	it('no tier gives null', () => {
		expect(topUpBonus(y(10), tiers)).toEqual({ tier: null, bonus: 0 });
	});

	it('equal bonus: the larger threshold is reported', () => {
		const same = [
			{ minAmount: y(100), bonus: y(10) },
			{ minAmount: y(200), bonus: y(10) }
		];
		expect(topUpBonus(y(300), same).tier).toBe(same[1]);
	});

	it.each([
		['a zero top-up', () => topUpBonus(y(0), tiers), /tender.badAmount/],
		[
			'a tier without a threshold',
			() => topUpBonus(y(1), [{ minAmount: fen(0), bonus: y(1) }]),
			/ledger.badPolicy/
		],
		['a negative bonus', () => topUpBonus(y(1), [{ minAmount: fen(1), bonus: fen(-1) }]), /ledger.badPolicy/]
	])('rejects %s', (_name, run, error) => {
		expect(run).toThrow(error);
	});

	it('planTopUp dates the bonus expiry, and only when there is a bonus', () => {
		const policy = { months: 12, endOfMonth: true };
		expect(planTopUp({ amount: y(500), tiers, bonusPolicy: policy, utcOffsetMinutes: CN, now: NOW })).toEqual(
			{
				principal: y(500),
				bonus: y(50),
				bonusExpiresAt: Date.UTC(2027, 11, 1) - CN * 60_000
			}
		);
		expect(planTopUp({ amount: y(100), tiers, bonusPolicy: policy, utcOffsetMinutes: CN, now: NOW })).toEqual(
			{
				principal: y(100),
				bonus: 0
			}
		);
		expect(planTopUp({ amount: y(500), tiers, bonusPolicy: null, utcOffsetMinutes: CN, now: NOW })).toEqual({
			principal: y(500),
			bonus: y(50)
		});
	});
});

const bal = (principal: number, bonus: number): StoredValueBalance => ({
	principal: fen(principal),
	bonus: fen(bonus),
	total: fen(principal + bonus)
});

describe('planStoredValueSpend', () => {
	it.each([
		['bonus first', bal(50000, 5000), 8000, 'bonusFirst', [3000, 5000]],
		['bonus first, bonus covers it', bal(50000, 5000), 4000, 'bonusFirst', [0, 4000]],
		['principal first', bal(50000, 5000), 8000, 'principalFirst', [8000, 0]],
		['principal first, spills into bonus', bal(5000, 5000), 8000, 'principalFirst', [5000, 3000]],
		['proportional 10:1', bal(50000, 5000), 11000, 'proportional', [10000, 1000]],
		['proportional, odd fen', bal(2, 1), 1, 'proportional', [1, 0]],
		['everything', bal(50000, 5000), 55000, 'proportional', [50000, 5000]],
		['nothing', bal(0, 0), 0, 'bonusFirst', [0, 0]],
		['a bucket in overdraft holds nothing', bal(-500, 3000), 3000, 'principalFirst', [0, 3000]]
	] as [string, StoredValueBalance, number, StoredValueSpendOrder, [number, number]][])(
		'%s',
		(_name, balance, amount, order, [principal, bonus]) => {
			expect(planStoredValueSpend(balance, fen(amount), order)).toEqual({ principal, bonus });
		}
	);

	it('refuses more than the balance, with the balance in the message', () => {
		try {
			planStoredValueSpend(bal(1000, 250), fen(1300), 'bonusFirst');
			expect.unreachable();
		} catch (e) {
			expect(e).toMatchObject({
				code: 'storedValue.insufficient',
				params: { amount: '13.00', balance: '12.50', principal: '10.00', bonus: '2.50' }
			});
		}
	});

	it('refuses a fractional amount', () => {
		expect(() => planStoredValueSpend(bal(1000, 0), 1.5 as Fen, 'bonusFirst')).toThrow(/tender.badAmount/);
	});
});

describe('refundablePrincipal and dueBonusExpiries', () => {
	const ledger = rows([
		['topUp', 'T', 50000, 1, null, 'principal'],
		['bonus', 'B', 5000, 1, 100, 'bonus'],
		['spend', 'S1', 2000, 50, null, 'bonus'],
		['spend', 'S2', 12000, 50, null, 'principal']
	]);

	it('refundable principal is what is left of it; bonus never counts', () => {
		expect(refundablePrincipal(ledger)).toEqual({ ok: true, value: 38000 });
	});

	it('an overdrawn principal refunds nothing', () => {
		const overdrawn = rows([
			['spend', 'S', 500, 1, null, 'principal'],
			['debt', 'D', 500, 1, null, 'principal']
		]);
		expect(refundablePrincipal(overdrawn)).toEqual({ ok: true, value: 0 });
	});

	it('a broken ledger refunds nothing: the violation comes back', () => {
		const broken = rows([['spend', 'S', 500, 1, null, 'principal']]);
		expect(refundablePrincipal(broken).ok).toBe(false);
	});

	it('expires what is left of an expired bonus, once', () => {
		const due = dueBonusExpiries(ledger, stamp(150));
		expect(due.ok && due.value.map((e) => [e.kind, e.bucket, e.amount, e.refs])).toEqual([
			['expire', 'bonus', 3000, ['B']]
		]);
		const again = dueBonusExpiries([...ledger, ...(due.ok ? due.value : [])], stamp(151));
		expect(again).toEqual({ ok: true, value: [] });
		expect(dueBonusExpiries(ledger, stamp(99))).toEqual({ ok: true, value: [] });
	});
});

describe('foldStoredValue', () => {
	it('keeps principal and bonus apart', () => {
		const f = foldStoredValue(
			rows([
				['topUp', 'T', 50000, 1, null, 'principal'],
				['bonus', 'B', 5000, 1, null, 'bonus'],
				['spend', 'S1', 3000, 2, null, 'bonus'],
				['spend', 'S2', 10000, 2, null, 'principal'],
				['refundIn', 'R', 1000, 3, null, 'bonus'],
				['refund', 'F', 20000, 4, null, 'principal']
			]),
			10
		);
		expect(f.ok && [f.value.principal, f.value.bonus, f.value.total]).toEqual([20000, 3000, 23000]);
	});

	it('bonus expires; expired bonus is not spendable and the expire entry records it', () => {
		const table: Row[] = [
			['topUp', 'T', 50000, 1, null, 'principal'],
			['bonus', 'B', 5000, 1, 100, 'bonus'],
			['spend', 'S', 2000, 50, null, 'bonus']
		];
		const before = foldStoredValue(rows(table), 150);
		expect(before.ok && [before.value.bonus, before.value.expiredBonusUnrecorded]).toEqual([0, 3000]);
		const after = foldStoredValue(rows([...table, ['expire', 'X', 3000, 150, null, 'bonus']]), 150);
		expect(after.ok && [after.value.bonus, after.value.expiredBonusUnrecorded]).toEqual([0, 0]);
		expect(after.ok && after.value.bonusBatches[0]).toMatchObject({
			spent: 2000,
			expired: 3000,
			remaining: 0
		});
	});

	it('an overdraft of one bucket needs a debt entry of that bucket', () => {
		const base: Row[] = [
			['topUp', 'T', 1000, 1, null, 'principal'],
			['spend', 'S', 1500, 2, null, 'principal']
		];
		const wrongBucket = foldStoredValue(rows([...base, ['debt', 'D', 500, 2, null, 'bonus']]), 10);
		expect(wrongBucket.ok ? null : wrongBucket.violation.params).toEqual({
			entryId: 'S',
			account: 'storedValue.principal',
			shortfall: 500
		});
		const ok = foldStoredValue(rows([...base, ['debt', 'D', 500, 2, null, 'principal']]), 10);
		expect(ok.ok && [ok.value.principal, ok.value.deficit.principal, ok.value.debt.principal]).toEqual([
			-500, 500, 500
		]);
	});

	it('points entries are ignored', () => {
		const f = foldStoredValue(rows([['earn', 'A', 100, 1]]), 10);
		expect(f).toEqual({
			ok: true,
			value: {
				now: 10,
				principal: 0,
				bonus: 0,
				total: 0,
				bonusBatches: [],
				expiredBonusUnrecorded: 0,
				deficit: { principal: 0, bonus: 0 },
				debt: { principal: 0, bonus: 0 },
				ignoredExpiry: 0
			}
		});
	});
});
