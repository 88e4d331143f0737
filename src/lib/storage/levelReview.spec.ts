import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { demoMembership } from '$lib/demo/membership';
import { LEVEL_REVIEW_STAFF } from '$lib/domain/members/levelReview';
import { newMemberProfile } from '$lib/domain/members/profile';
import type { Sale } from '$lib/domain/sale';
import { BranchlineDb } from './db';
import { useFreshDb } from './freshDb.testing';
import { runLevelReview } from './levelReview';
import { toRow } from './members';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27, 4);
const config = demoMembership();

let db: BranchlineDb;
useFreshDb('level-review', (fresh) => (db = fresh));

async function addMember(id: string, levelId: string, homeBranchId: string, levelSinceDaysAgo: number) {
	const profile = newMemberProfile({
		id,
		code: id.toUpperCase(),
		phone: `1380000${id.slice(-4)}`,
		now: NOW - 800 * DAY,
		staffId: 'st-1',
		branchId: homeBranchId,
		entryLevelId: 'lvl-regular'
	});
	await db.members.add(toRow({ ...profile, levelId, levelSince: NOW - levelSinceDaysAgo * DAY }));
}

async function addSale(memberId: string, yuan: number, daysAgo: number) {
	await db.sales.add({
		id: `s-${memberId}-${daysAgo}`,
		number: `B01-T1-${memberId}-${daysAgo}`,
		memberId,
		total: yuan * 100,
		createdAt: NOW - daysAgo * DAY,
		branchId: 'br-01'
	} as unknown as Sale);
}

describe('runLevelReview', () => {
	it('downgrades after grace, keeps qualified members, writes history and outbox rows, once a day', async () => {
		await addMember('m-0001', 'lvl-gold', 'br-01', 200); // ¥1,200 this year: silver
		await addSale('m-0001', 1200, 100);
		await addMember('m-0002', 'lvl-gold', 'br-01', 200); // ¥3,500 this year: stays gold
		await addSale('m-0002', 3500, 100);
		await addMember('m-0003', 'lvl-gold', 'br-01', 10); // in grace: stays
		await addMember('m-0004', 'lvl-gold', 'br-02', 200); // another branch's member: not ours to review
		// Spent ¥3,200 at another branch: only its purchase entry reached this till. Stays gold.
		await addMember('m-0006', 'lvl-gold', 'br-01', 200);
		await db.ledger.add({
			id: 'e-purchase-1',
			memberId: 'm-0006',
			account: 'spend',
			kind: 'purchase',
			amount: 320000,
			deviceId: 'till-b02',
			seq: 1,
			createdAt: NOW - 40 * DAY,
			refs: ['sale-at-b02']
		});

		const result = await runLevelReview(db, { config, branchId: 'br-01', now: NOW });
		expect(result).toEqual({ reviewed: 3, changed: 1, skipped: false });
		const levels = Object.fromEntries((await db.members.toArray()).map((m) => [m.id, m.levelId]));
		expect(levels).toEqual({
			'm-0001': 'lvl-silver',
			'm-0002': 'lvl-gold',
			'm-0003': 'lvl-gold',
			'm-0004': 'lvl-gold',
			'm-0006': 'lvl-gold'
		});
		const changes = await db.profileChanges.toArray();
		expect(changes).toEqual([
			expect.objectContaining({
				id: 'level-review:m-0001:2026-11-27',
				memberId: 'm-0001',
				field: 'levelId',
				from: 'lvl-gold',
				to: 'lvl-silver',
				staffId: LEVEL_REVIEW_STAFF
			})
		]);
		const outbox = (await db.outbox.toArray()).map((r) => `${r.table}:${r.recordId}`).sort();
		expect(outbox).toEqual(['members:m-0001', 'profileChanges:level-review:m-0001:2026-11-27']);
		expect((await db.members.get('m-0001'))?.levelSince).toBe(NOW);

		expect(await runLevelReview(db, { config, branchId: 'br-01', now: NOW + 3_600_000 })).toEqual({
			reviewed: 0,
			changed: 0,
			skipped: true
		});
	});

	it('reviews every member when the till is not in a chain', async () => {
		await addMember('m-0005', 'lvl-gold', 'br-02', 400);
		expect(await runLevelReview(db, { config, branchId: null, now: NOW })).toMatchObject({ changed: 1 });
		expect((await db.members.get('m-0005'))?.levelId).toBe('lvl-regular');
	});
});
