/** Entry validation (every boundary) and the entries each till action writes. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { fen } from '../money';
import {
	behaviourEntryId,
	entriesForAdjustment,
	entriesForGiftRedemption,
	entriesForReturn,
	entriesForSale,
	entriesForStoredValueRefund,
	entriesForTopUp,
	entryForBehaviour,
	entryProblem,
	validateEntry
} from './entries';
import { entry, NOW, stamp } from './testHelpers';
import type { LedgerEntry } from './types';

const sv = (over: Partial<LedgerEntry>) =>
	entry('E', { account: 'storedValue', bucket: 'principal', ...over });

const invalid: [string, LedgerEntry, string][] = [
	['empty id', entry(''), 'id'],
	['blank member', entry('E', { memberId: ' ' }), 'memberId'],
	['no device', entry('E', { deviceId: '' }), 'deviceId'],
	['negative seq', entry('E', { seq: -1 }), 'seq'],
	['fractional createdAt', entry('E', { createdAt: 1.5 }), 'createdAt'],
	['zero amount', entry('E', { amount: 0 }), 'amount'],
	['negative amount', entry('E', { amount: -5 }), 'amount'],
	['fractional amount', entry('E', { amount: 2.5 }), 'amount'],
	['NaN amount', entry('E', { amount: NaN }), 'amount'],
	['unsafe amount', entry('E', { amount: 2 ** 53 }), 'amount'],
	['string amount', entry('E', { amount: '5' as unknown as number }), 'amount'],
	['unknown kind', entry('E', { kind: 'gift' as never }), 'kind'],
	['prototype kind', entry('E', { kind: 'toString' as never }), 'kind'],
	['unknown account', entry('E', { account: 'cash' as never }), 'account'],
	['points topUp', entry('E', { kind: 'topUp' }), 'kind'],
	['points with a bucket', entry('E', { bucket: 'bonus' }), 'bucket'],
	['stored value without a bucket', entry('E', { account: 'storedValue', kind: 'spend' }), 'bucket'],
	['stored-value reverseEarn', sv({ kind: 'reverseEarn' }), 'kind'],
	['stored-value earn', sv({ kind: 'earn' }), 'kind'],
	['topUp into bonus', sv({ kind: 'topUp', bucket: 'bonus' }), 'bucket'],
	['bonus into principal', sv({ kind: 'bonus' }), 'bucket'],
	['refund of bonus', sv({ kind: 'refund', bucket: 'bonus' }), 'bucket'],
	['expire of principal', sv({ kind: 'expire' }), 'bucket'],
	['expiring principal', sv({ kind: 'topUp', expiresAt: NOW + 1 }), 'expiresAt'],
	['expiring spend', entry('E', { kind: 'spend', expiresAt: NOW + 1 }), 'expiresAt'],
	['expiry not after creation', entry('E', { expiresAt: NOW }), 'expiresAt'],
	['no refs', entry('E', { refs: [] }), 'refs'],
	['blank ref', entry('E', { refs: ['s1', ''] }), 'refs'],
	['adjustment without reason', entry('E', { kind: 'adjustIn' }), 'reason'],
	['adjustment with blank reason', entry('E', { kind: 'adjustOut', reason: '   ' }), 'reason'],
	['overlong reason', entry('E', { kind: 'adjustOut', reason: 'x'.repeat(201) }), 'reason'],
	['a spend-account earn', entry('E', { account: 'spend', kind: 'earn' }), 'kind'],
	['a purchase on the points account', entry('E', { kind: 'purchase' }), 'kind'],
	[
		'a purchase with a bucket',
		entry('E', { account: 'spend', kind: 'purchase', bucket: 'principal' }),
		'bucket'
	],
	[
		'an expiring purchase',
		entry('E', { account: 'spend', kind: 'purchase', expiresAt: NOW + 1 }),
		'expiresAt'
	]
];

const valid: [string, LedgerEntry][] = [
	['points earn with expiry', entry('E', { expiresAt: NOW + 1 })],
	['points spend', entry('E', { kind: 'spend' })],
	['points debt', entry('E', { kind: 'debt' })],
	['points refundIn with expiry', entry('E', { kind: 'refundIn', expiresAt: NOW + 1 })],
	['seq 0', entry('E', { seq: 0 })],
	['topUp', sv({ kind: 'topUp' })],
	['bonus with expiry', sv({ kind: 'bonus', bucket: 'bonus', expiresAt: NOW + 1 })],
	['bonus adjustIn with expiry', sv({ kind: 'adjustIn', bucket: 'bonus', reason: 'r', expiresAt: NOW + 1 })],
	['spend of bonus', sv({ kind: 'spend', bucket: 'bonus' })],
	['refundIn of principal', sv({ kind: 'refundIn' })],
	['principal debt', sv({ kind: 'debt' })],
	['adjustment with reason', entry('E', { kind: 'adjustOut', reason: '盘点更正' })],
	['a purchase (spend account)', entry('E', { account: 'spend', kind: 'purchase' })]
];

describe('validateEntry', () => {
	it.each(invalid)('rejects %s', (_name, e, field) => {
		expect(entryProblem(e)?.params['field']).toBe(field);
		expect(() => validateEntry(e)).toThrow(DomainError);
	});
	it.each(valid)('accepts %s', (_name, e) => {
		expect(entryProblem(e)).toBeNull();
	});
});

const brief = (entries: LedgerEntry[]) =>
	entries.map((e) => [e.kind, e.account === 'points' ? 'pts' : e.bucket, e.amount, e.refs.join(','), e.seq]);

describe('builders', () => {
	it('a sale: debts, then spends, then the earn; zero amounts write nothing', () => {
		const entries = entriesForSale(
			{
				memberId: 'm1',
				saleId: 's1',
				pointsEarned: 120,
				pointsExpiresAt: NOW + 1000,
				pointsSpent: 500,
				pointsSpentFrom: ['b1', 'b2'],
				svSpend: { principal: fen(3000), bonus: fen(0) },
				debt: { points: 100 }
			},
			stamp()
		);
		expect(brief(entries)).toEqual([
			['debt', 'pts', 100, 's1', 100],
			['spend', 'pts', 500, 's1,b1,b2', 101],
			['spend', 'principal', 3000, 's1', 102],
			['earn', 'pts', 120, 's1', 103]
		]);
		expect(entries.map((e) => [e.id, e.memberId, e.deviceId, e.createdAt])[0]).toEqual([
			'x1',
			'm1',
			'd9',
			NOW
		]);
		expect(entries[3]!.expiresAt).toBe(NOW + 1000);
	});

	it('a sale with nothing to record writes nothing', () => {
		expect(
			entriesForSale({ memberId: 'm1', saleId: 's1', pointsEarned: 0, pointsSpent: 0 }, stamp())
		).toEqual([]);
	});

	it('a sale with a fractional or negative amount is refused', () => {
		const base = { memberId: 'm1', saleId: 's1', pointsSpent: 0 };
		expect(() => entriesForSale({ ...base, pointsEarned: 1.5 }, stamp())).toThrow(/ledger.invalidEntry/);
		expect(() => entriesForSale({ ...base, pointsEarned: -3 }, stamp())).toThrow(/ledger.invalidEntry/);
	});

	it('a top-up: principal and bonus, both referencing the top-up', () => {
		const entries = entriesForTopUp(
			{ memberId: 'm1', topUpId: 't1', principal: fen(50000), bonus: fen(5000), bonusExpiresAt: NOW + 1 },
			stamp()
		);
		expect(brief(entries)).toEqual([
			['topUp', 'principal', 50000, 't1', 100],
			['bonus', 'bonus', 5000, 't1', 101]
		]);
		expect(entries[1]!.expiresAt).toBe(NOW + 1);
	});

	it('a return: refunds first, then the reversal', () => {
		const entries = entriesForReturn(
			{
				memberId: 'm1',
				returnId: 'r1',
				pointsReversed: 80,
				pointsRefunded: 300,
				svRefund: { principal: fen(1000), bonus: fen(200) }
			},
			stamp()
		);
		expect(brief(entries)).toEqual([
			['refundIn', 'pts', 300, 'r1', 100],
			['refundIn', 'principal', 1000, 'r1', 101],
			['refundIn', 'bonus', 200, 'r1', 102],
			['reverseEarn', 'pts', 80, 'r1', 103]
		]);
	});

	it('closing a card: principal refunded, bonus forfeited with the reason', () => {
		const entries = entriesForStoredValueRefund(
			{
				memberId: 'm1',
				refundId: 'f1',
				principal: fen(4000),
				forfeitBonus: fen(500),
				staffId: 'st',
				reason: ' 退卡 '
			},
			stamp()
		);
		expect(brief(entries)).toEqual([
			['refund', 'principal', 4000, 'f1,st', 100],
			['adjustOut', 'bonus', 500, 'f1,st', 101]
		]);
		expect(entries[1]!.reason).toBe('退卡');
	});

	it('a gift redemption spends points, referencing redemption, gift and batches', () => {
		const [e] = entriesForGiftRedemption(
			{ memberId: 'm1', redemptionId: 'g1', giftId: 'mug', points: 800, pointsSpentFrom: ['b1'] },
			stamp()
		);
		expect(brief([e!])).toEqual([['spend', 'pts', 800, 'g1,mug,b1', 100]]);
	});

	it('an adjustment needs a reason and records staff and approval', () => {
		const input = {
			memberId: 'm1',
			account: 'storedValue' as const,
			direction: 'out' as const,
			amount: 700,
			bucket: 'bonus' as const,
			staffId: 'st',
			approvalId: 'ap1'
		};
		expect(() => entriesForAdjustment({ ...input, reason: ' ' }, stamp())).toThrow(/ledger.reasonRequired/);
		const [e] = entriesForAdjustment({ ...input, reason: '系统迁移' }, stamp());
		expect(brief([e!])).toEqual([['adjustOut', 'bonus', 700, 'st,ap1', 100]]);
	});

	it('a behaviour award has a deterministic id per member, event and year', () => {
		expect(behaviourEntryId('m1', 'birthday', 2026)).toBe('bday:m1:2026');
		expect(behaviourEntryId('m1', 'enrolment')).toBe('enrolment:m1');
		const e = entryForBehaviour({ memberId: 'm1', event: 'birthday', points: 200, year: 2026 }, stamp());
		expect([e.id, e.kind, e.amount, e.refs]).toEqual(['bday:m1:2026', 'earn', 200, ['birthday:2026']]);
		expect(() => entryForBehaviour({ memberId: 'm1', event: 'birthday', points: 200 }, stamp())).toThrow(
			/ledger.badPolicy/
		);
	});
});
