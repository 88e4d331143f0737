/** The member statement: causes from refs and lookups, running balances per account, duplicate expiries. */
import { describe, expect, it } from 'vitest';
import { foldPoints } from './fold';
import { memberStatement, statementCause } from './statement';
import { entry, rows } from './testHelpers';
import type { LedgerEntry } from './types';

const balances = (statement: ReturnType<typeof memberStatement>) =>
	statement.map((r) => [r.entry.id, r.change, r.after.points, r.after.principal, r.after.bonus]);

describe('memberStatement', () => {
	it('keeps a running balance per account: points, principal and bonus', () => {
		const entries = rows([
			['earn', 'E1', 300, 1],
			['topUp', 'T1', 50000, 2, null, 'principal'],
			['bonus', 'B1', 5000, 2, null, 'bonus'],
			['spend', 'S1', 100, 3],
			['spend', 'SV', 12000, 4, null, 'principal'],
			['adjustOut', 'A1', 1000, 5, null, 'bonus']
		]);
		expect(balances(memberStatement(entries))).toEqual([
			['E1', 300, 300, 0, 0],
			['T1', 50000, 300, 50000, 0],
			['B1', 5000, 300, 50000, 5000],
			['S1', -100, 200, 50000, 5000],
			['SV', -12000, 200, 38000, 5000],
			['A1', -1000, 200, 38000, 4000]
		]);
	});

	it('leaves purchases (the spend account) out: they are no balance the member holds', () => {
		const [earn] = rows([['earn', 'E1', 120, 1]]) as [LedgerEntry];
		const purchase: LedgerEntry = { ...earn, id: 'P1', account: 'spend', kind: 'purchase', amount: 12000 };
		expect(balances(memberStatement([earn, purchase]))).toEqual([['E1', 120, 120, 0, 0]]);
		expect(foldPoints([earn, purchase], 2).ok).toBe(true);
	});

	it('orders canonically and lists a replayed entry once', () => {
		const [a, b] = rows([
			['earn', 'E1', 100, 1],
			['spend', 'S1', 40, 2]
		]) as [LedgerEntry, LedgerEntry];
		const statement = memberStatement([b, a, b, a]);
		expect(statement.map((r) => r.entry.id)).toEqual(['E1', 'S1']);
		expect(statement.at(-1)?.after.points).toBe(60);
	});

	it('counts an expiry once when two tills record it; the end matches the fold', () => {
		const entries = rows([
			['earn', 'E1', 100, 1, 10],
			['earn', 'E2', 50, 2],
			['expire', 'X1', 100, 11],
			['expire', 'X2', 100, 12]
		]);
		const statement = memberStatement(entries);
		expect(balances(statement)).toEqual([
			['E1', 100, 100, 0, 0],
			['E2', 50, 150, 0, 0],
			['X1', -100, 50, 0, 0],
			['X2', 0, 50, 0, 0]
		]);
		const fold = foldPoints(entries, 20);
		expect(fold.ok && fold.value.balance + fold.value.expiredUnrecorded).toBe(50);
	});

	it('keeps an expired batch with no expire entry in the book balance (the card shows it as expired)', () => {
		const entries = rows([['earn', 'E1', 100, 1, 10]]);
		expect(memberStatement(entries).at(-1)?.after.points).toBe(100);
		const fold = foldPoints(entries, 20);
		expect(fold.ok && [fold.value.balance, fold.value.expiredUnrecorded]).toEqual([0, 100]);
	});

	it('a debt record changes nothing by itself', () => {
		const entries = rows([
			['debt', 'D1', 30, 1],
			['spend', 'S1', 30, 1]
		]);
		expect(balances(memberStatement(entries))).toEqual([
			['D1', 0, 0, 0, 0],
			['S1', -30, -30, 0, 0]
		]);
	});

	it('starts from an opening balance when given one', () => {
		const statement = memberStatement(rows([['spend', 'S1', 40, 2]]), {}, {
			points: 100,
			principal: 0,
			bonus: 0
		} as never);
		expect(statement[0]?.after.points).toBe(60);
	});
});

describe('statementCause', () => {
	const lookups = {
		sales: new Map([['sale-1', 'B01-T1-20261122-0007']]),
		topUps: new Map([['top-1', 'B01-T1-20261122-0008']]),
		redemptions: new Map([['red-1', 'gift-scarf']])
	};
	const cause = (over: Partial<LedgerEntry>, refundIds?: Set<string>) =>
		statementCause(entry('e', over), lookups, refundIds);

	it.each([
		[
			{ kind: 'earn', refs: ['sale-1'] },
			{ kind: 'sale', saleId: 'sale-1', number: 'B01-T1-20261122-0007' }
		],
		[
			{ kind: 'earn', refs: ['sal-0000001'] },
			{ kind: 'sale', saleId: 'sal-0000001' }
		],
		[
			{ kind: 'spend', refs: ['red-1', 'gift-scarf'] },
			{ kind: 'redemption', redemptionId: 'red-1', giftId: 'gift-scarf' }
		],
		[
			{ kind: 'earn', refs: ['enrolment'] },
			{ kind: 'behaviour', event: 'enrolment' }
		],
		[
			{ kind: 'earn', refs: ['birthday:2026'] },
			{ kind: 'behaviour', event: 'birthday', year: 2026 }
		],
		[{ kind: 'expire', refs: ['E1'] }, { kind: 'expiry' }],
		[
			{ kind: 'reverseEarn', refs: ['ret-1'] },
			{ kind: 'return', returnId: 'ret-1' }
		],
		[
			{ kind: 'debt', refs: ['sale-1'] },
			{ kind: 'debt', saleId: 'sale-1', number: 'B01-T1-20261122-0007' }
		],
		[
			{ kind: 'adjustIn', refs: ['stf-manager'], reason: '期初导入' },
			{ kind: 'adjustment', staffId: 'stf-manager', reason: '期初导入' }
		],
		[
			{ kind: 'topUp', account: 'storedValue', bucket: 'principal', refs: ['top-1'] },
			{ kind: 'topUp', topUpId: 'top-1', number: 'B01-T1-20261122-0008' }
		],
		[
			{ kind: 'refund', account: 'storedValue', bucket: 'principal', refs: ['rf-1', 'stf-manager'] },
			{ kind: 'refund', refundId: 'rf-1' }
		]
	] as [Partial<LedgerEntry>, unknown][])('%o -> %o', (over, expected) => {
		expect(cause(over)).toEqual(expected);
	});

	it('the bonus forfeited when a card is closed belongs to the refund', () => {
		const over: Partial<LedgerEntry> = {
			kind: 'adjustOut',
			account: 'storedValue',
			bucket: 'bonus',
			refs: ['rf-1', 'stf-manager'],
			reason: '退卡'
		};
		expect(cause(over, new Set(['rf-1']))).toEqual({ kind: 'refund', refundId: 'rf-1', reason: '退卡' });
		const statement = memberStatement(
			rows([
				['topUp', 'T', 100, 1, null, 'principal'],
				['bonus', 'B', 10, 1, null, 'bonus']
			]).concat([
				entry('R', {
					account: 'storedValue',
					kind: 'refund',
					bucket: 'principal',
					amount: 100,
					createdAt: 2,
					seq: 3,
					refs: ['rf-1', 's']
				}),
				entry('F', { ...over, amount: 10, createdAt: 2, seq: 4 })
			])
		);
		expect(statement.map((r) => r.cause.kind)).toEqual(['topUp', 'topUp', 'refund', 'refund']);
		expect(statement.at(-1)?.after).toEqual({ points: 0, principal: 0, bonus: 0 });
	});
});
