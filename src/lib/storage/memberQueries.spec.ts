import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { demoMembership } from '$lib/demo/membership';
import { foldPoints, foldStoredValue } from '$lib/domain/ledger/fold';
import { pointsExpiry } from '$lib/domain/ledger/points';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import type { MemberProfile, PlanSubscription } from '$lib/domain/members/types';
import { fen } from '$lib/domain/money';
import { BranchlineDb } from './db';
import { memberEntries } from './ledger';
import { commitMemberImport, memberImportLookups, OPENING_BALANCE_REASON } from './memberImport';
import { commitStoredValueRefund, expiringReport, giftStockAt, memberByCode } from './memberQueries';
import { memberBalances, memberFacts, PhoneTakenError, toRow } from './members';
import { useFreshDb } from './freshDb.testing';
import { profileFixture } from '$lib/domain/members/testHelpers';

const DAY = 86_400_000;
/** 2026-11-22 12:00 Beijing. */
const NOW = Date.UTC(2026, 10, 22, 4);
const config = demoMembership();

let db: BranchlineDb;
useFreshDb('member-queries', (fresh) => (db = fresh));

let seq = 0;
function entry(memberId: string, over: Partial<LedgerEntry>): LedgerEntry {
	seq += 1;
	return {
		id: `e${seq}`,
		memberId,
		account: 'points',
		kind: 'earn',
		amount: 100,
		deviceId: 'd1',
		seq,
		createdAt: NOW,
		refs: ['sale'],
		...over
	};
}
const earnedAt = (at: number, amount: number, memberId: string) =>
	entry(memberId, {
		createdAt: at,
		amount,
		expiresAt: pointsExpiry(at, config.pointsExpiry, config.utcOffsetMinutes) as number
	});

function profile(id: string, phone: string, code = id.toUpperCase()): MemberProfile {
	return profileFixture({
		id,
		code,
		phone,
		name: id,
		levelSince: NOW,
		enrolledAt: NOW,
		enrolledBy: 's1',
		updatedAt: NOW
	});
}

describe('expiringReport', () => {
	it('lists points and plans that run out within remindDays, soonest first, and nothing later', async () => {
		await db.members.bulkAdd([
			toRow(profile('m1', '13800000001')),
			toRow(profile('m2', '13800000002')),
			toRow(profile('m3', '13800000003'))
		]);
		await db.ledger.bulkAdd([
			// Earned 2025-11-10: expires 2026-12-01 00:00 Beijing, 9 days after NOW; 30 of it already spent.
			earnedAt(Date.UTC(2025, 10, 10, 4), 120, 'm1'),
			entry('m1', { kind: 'spend', amount: 30, createdAt: Date.UTC(2026, 0, 5) }),
			// Earned 2025-12-15: expires 2027-01-01, beyond the 30-day window.
			earnedAt(Date.UTC(2025, 11, 15, 4), 500, 'm2')
		]);
		const sub = (id: string, memberId: string, startsAt: number, endsAt: number): PlanSubscription => ({
			id,
			memberId,
			planId: 'plan-month',
			startsAt,
			endsAt,
			saleId: 's',
			createdAt: startsAt
		});
		await db.subscriptions.bulkAdd([
			sub('s1', 'm3', NOW - 25 * DAY, NOW + 5 * DAY),
			// m2 already renewed: the run ends in 35 days, not reminded.
			sub('s2', 'm2', NOW - 25 * DAY, NOW + 5 * DAY),
			sub('s3', 'm2', NOW + 5 * DAY, NOW + 35 * DAY)
		]);

		const report = await expiringReport(db, config, NOW);
		expect(report.points).toEqual([{ memberId: 'm1', amount: 90, expiresAt: Date.UTC(2026, 10, 30, 16) }]);
		expect(report.bonus).toEqual([]);
		expect(report.plans.map((s) => s.id)).toEqual(['s1']);
		expect([...report.members.keys()].sort()).toEqual(['m1', 'm3']);
	});

	it('finds expiring top-up bonus when the chain lets bonus expire', async () => {
		const withBonusExpiry = { ...config, bonusExpiry: { months: 1, endOfMonth: false } };
		await db.members.add(toRow(profile('m1', '13800000001')));
		const at = NOW - 20 * DAY;
		await db.ledger.add(
			entry('m1', {
				account: 'storedValue',
				kind: 'bonus',
				bucket: 'bonus',
				amount: 5000,
				createdAt: at,
				expiresAt: at + 30 * DAY
			})
		);
		const report = await expiringReport(db, withBonusExpiry, NOW);
		expect(report.bonus).toEqual([{ memberId: 'm1', amount: 5000, expiresAt: at + 30 * DAY }]);
	});
});

describe('commitStoredValueRefund', () => {
	const sv = (kind: LedgerEntry['kind'], bucket: 'principal' | 'bonus', amount: number) =>
		entry('m1', { account: 'storedValue', kind, bucket, amount, createdAt: NOW - DAY, refs: ['t'] });

	it('refunds the unused principal and forfeits the bonus in one go, with outbox rows', async () => {
		await db.ledger.bulkAdd([sv('topUp', 'principal', 50000), sv('bonus', 'bonus', 5000)]);
		await db.ledger.add({ ...sv('spend', 'principal', 12000), createdAt: NOW - DAY + 1 });
		const done = await commitStoredValueRefund(db, {
			memberId: 'm1',
			reason: '顾客退卡',
			staffId: 'stf-manager',
			deviceId: 'dev-1',
			now: NOW
		});
		expect(done).toMatchObject({ principal: 38000, forfeitBonus: 5000 });
		const entries = await memberEntries(db, 'm1');
		const written = entries.filter((e) => e.deviceId === 'dev-1');
		expect(written.map((e) => [e.kind, e.bucket, e.amount])).toEqual([
			['refund', 'principal', 38000],
			['adjustOut', 'bonus', 5000]
		]);
		expect(written[1]?.reason).toBe('顾客退卡');
		expect(await db.outbox.where('table').equals('ledger').count()).toBe(2);
		const fold = foldStoredValue(entries, NOW);
		expect(fold.ok && fold.value.total).toBe(0);
		// Nothing left: a second refund writes nothing.
		expect(
			await commitStoredValueRefund(db, {
				memberId: 'm1',
				reason: 'x',
				staffId: 's',
				deviceId: 'dev-1',
				now: NOW
			})
		).toBe(null);
	});

	it('refuses a blank reason and writes nothing', async () => {
		await db.ledger.add(sv('topUp', 'principal', 100));
		await expect(
			commitStoredValueRefund(db, { memberId: 'm1', reason: ' ', staffId: 's', deviceId: 'dev-1', now: NOW })
		).rejects.toMatchObject({ code: 'ledger.reasonRequired' });
		expect(await db.ledger.count()).toBe(1);
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('commitMemberImport', () => {
	it('writes members and opening balances (points with the chain expiry, principal) with outbox rows', async () => {
		const a = profile('m1', '13900000001');
		const b = profile('m2', '13900000002');
		const result = await commitMemberImport(db, {
			members: [a, b],
			openingBalances: [{ memberId: 'm1', points: 300, storedValueFen: fen(8850) }],
			config,
			staffId: 'stf-manager',
			deviceId: 'dev-1',
			now: NOW
		});
		expect(result).toEqual({ members: 2, entries: 2 });
		const entries = await memberEntries(db, 'm1');
		expect(entries.map((e) => [e.account, e.kind, e.bucket, e.amount, e.reason])).toEqual([
			['points', 'adjustIn', undefined, 300, OPENING_BALANCE_REASON],
			['storedValue', 'adjustIn', 'principal', 8850, OPENING_BALANCE_REASON]
		]);
		expect(entries[0]?.expiresAt).toBe(pointsExpiry(NOW, config.pointsExpiry, config.utcOffsetMinutes));
		const points = foldPoints(entries, NOW);
		expect(points.ok && points.value.balance).toBe(300);
		expect(await db.outbox.where('table').equals('members').count()).toBe(2);
		expect(await db.outbox.where('table').equals('ledger').count()).toBe(2);
		const lookups = await memberImportLookups(db);
		expect(lookups.phones.get('13900000002')).toBe('m2');
		expect(lookups.codes.has('M1')).toBe(true);
		expect((await memberByCode(db, 'M2'))?.id).toBe('m2');
		expect(await memberByCode(db, 'not a code!')).toBeUndefined();
	});

	it('aborts everything when a phone was enrolled since the preview', async () => {
		await db.members.add(toRow(profile('old', '13900000002', 'OLD')));
		await expect(
			commitMemberImport(db, {
				members: [profile('m1', '13900000001'), profile('m2', '13900000002')],
				openingBalances: [{ memberId: 'm1', points: 10, storedValueFen: fen(0) }],
				config,
				staffId: 's',
				deviceId: 'dev-1',
				now: NOW
			})
		).rejects.toBeInstanceOf(PhoneTakenError);
		expect(await db.members.count()).toBe(1);
		expect(await db.ledger.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('giftStockAt', () => {
	it('sums each gift at one branch only, each movement once', async () => {
		await db.gifts.bulkAdd([
			{ id: 'g1', name: 'bag', pointsPrice: 500, cashPrice: fen(0), lowStockThreshold: 2, active: true },
			{ id: 'g2', name: 'pen', pointsPrice: 100, cashPrice: fen(0), lowStockThreshold: 2, active: true }
		]);
		const move = (id: string, giftId: string, branchId: string, qty: number) => ({
			id,
			giftId,
			branchId,
			qty,
			kind: qty > 0 ? ('receive' as const) : ('redeem' as const),
			refId: 'r',
			deviceId: 'd',
			createdAt: NOW
		});
		await db.giftStock.bulkAdd([
			move('a', 'g1', 'br-01', 20),
			move('b', 'g1', 'br-01', -1),
			move('c', 'g1', 'br-02', 7),
			move('d', 'g2', 'br-02', 3)
		]);
		expect(await giftStockAt(db, 'br-01')).toEqual(new Map([['g1', 19]]));
	});
});

describe('memberFacts', () => {
	it('reads balances, points history, plans and sales of one member in one go, as memberBalances folds them', async () => {
		await db.ledger.bulkAdd([
			earnedAt(NOW - 10 * DAY, 300, 'm1'),
			entry('m1', { kind: 'spend', amount: 100, refs: ['sale'] }),
			entry('m1', { account: 'storedValue', kind: 'topUp', bucket: 'principal', amount: 5000 }),
			earnedAt(NOW - DAY, 999, 'm2')
		] as LedgerEntry[]);
		const sub: PlanSubscription = {
			id: 'sub1',
			memberId: 'm1',
			planId: 'plan-month',
			startsAt: NOW - DAY,
			endsAt: NOW + 29 * DAY,
			price: fen(1900),
			tenders: [],
			branchId: 'br-01',
			deviceId: 'd1',
			staffId: 's',
			createdAt: NOW - DAY
		} as unknown as PlanSubscription;
		await db.subscriptions.add(sub);
		const facts = await memberFacts(db, 'm1', NOW);
		expect(facts.balances).toEqual(await memberBalances(db, 'm1', NOW));
		expect(facts.balances.points?.balance).toBe(200);
		expect(facts.balances.storedValue?.total).toBe(5000);
		expect(facts.points.map((e) => e.kind).sort()).toEqual(['earn', 'spend']);
		expect(facts.subscriptions.map((s) => s.id)).toEqual(['sub1']);
		expect(facts.sales).toEqual([]);
	});
});
