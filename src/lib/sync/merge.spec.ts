import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BranchlineDb, type MemberRow } from '$lib/storage/db';
import { memberBalances } from '$lib/storage/members';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { findDuplicatePhones, mergeMembers, MergeError } from './merge';
import { allRows } from './store';
import { profileFixture } from '$lib/domain/members/testHelpers';

let db: BranchlineDb;
let n = 0;
const NOW = Date.UTC(2026, 2, 10);
const DAY = 86_400_000;

beforeEach(async () => {
	db = new BranchlineDb(`merge-${++n}`);
	await db.members.bulkPut([
		member('keep', '13800000001', 1),
		member('dup', '13800000001', 2),
		member('other', '13900000002', 3)
	]);
	await db.ledger.bulkPut([
		entry('k1', 'keep', { account: 'points', kind: 'earn', amount: 100 }),
		entry('d1', 'dup', { account: 'points', kind: 'earn', amount: 70, expiresAt: NOW + 30 * DAY }),
		entry('d2', 'dup', { account: 'points', kind: 'earn', amount: 50 }),
		entry('d3', 'dup', { account: 'points', kind: 'spend', amount: 20 }),
		entry('d4', 'dup', { account: 'storedValue', kind: 'topUp', bucket: 'principal', amount: 50000 }),
		entry('d5', 'dup', {
			account: 'storedValue',
			kind: 'bonus',
			bucket: 'bonus',
			amount: 5000,
			expiresAt: NOW + 90 * DAY
		}),
		entry('d6', 'dup', { account: 'storedValue', kind: 'spend', bucket: 'principal', amount: 12000 })
	]);
});
afterEach(async () => {
	db.close();
	await db.delete();
});

function member(id: string, phone: string, enrolledAt: number): MemberRow {
	const at = { levelSince: enrolledAt, enrolledAt, updatedAt: enrolledAt };
	return {
		...profileFixture({ id, code: `M${id}`, phone, enrolledBy: 'stf', ...at }),
		phoneLast4: phone.slice(-4)
	};
}

let seq = 0;
function entry(id: string, memberId: string, rest: Partial<LedgerEntry>): LedgerEntry {
	return {
		id,
		memberId,
		deviceId: 'dev-x',
		seq: ++seq,
		createdAt: NOW - DAY + seq,
		refs: ['sale'],
		...rest
	} as LedgerEntry;
}

describe('findDuplicatePhones', () => {
	it('lists phones held by more than one live member, oldest enrolment first', async () => {
		const groups = await findDuplicatePhones(db);
		expect(groups.map((g) => [g.phone, g.members.map((m) => m.id)])).toEqual([
			['13800000001', ['keep', 'dup']]
		]);
	});
});

describe('mergeMembers', () => {
	it('moves every balance with new entries only: both folds exact, nothing rewritten, all audited', async () => {
		const entriesBefore = await db.ledger.toArray();
		const [keepBefore, dupBefore] = await Promise.all([
			memberBalances(db, 'keep', NOW),
			memberBalances(db, 'dup', NOW)
		]);
		const record = await mergeMembers(db, 'keep', 'dup', 'stf-mgr', { deviceId: 'dev-hq', now: NOW });

		const [keep, dup] = await Promise.all([memberBalances(db, 'keep', NOW), memberBalances(db, 'dup', NOW)]);
		expect(dup.points?.balance).toBe(0);
		expect(dup.storedValue?.total).toBe(0);
		expect(keep.points?.balance).toBe(keepBefore.points!.balance + dupBefore.points!.balance);
		expect(keep.storedValue?.principal).toBe(dupBefore.storedValue!.principal);
		expect(keep.storedValue?.bonus).toBe(dupBefore.storedValue!.bonus);

		// Append-only: every earlier entry is untouched, the new ones reference the merge record.
		const after = await db.ledger.toArray();
		for (const e of entriesBefore) expect(after.find((x) => x.id === e.id)).toEqual(e);
		const added = after.filter((e) => !entriesBefore.some((b) => b.id === e.id));
		expect(added.map((e) => e.id).sort()).toEqual([...record.entryIds].sort());
		expect(added.every((e) => e.refs[0] === record.id && e.deviceId === 'dev-hq')).toBe(true);
		expect(added.filter((e) => e.kind === 'adjustOut').every((e) => e.memberId === 'dup')).toBe(true);
		// Points keep their expiry: the batch expiring in 30 days arrives as its own adjustIn.
		expect(added.some((e) => e.memberId === 'keep' && e.expiresAt === NOW + 30 * DAY)).toBe(true);

		expect(record).toMatchObject({
			keepId: 'keep',
			mergeId: 'dup',
			staffId: 'stf-mgr',
			points: 100,
			principal: 38000,
			bonus: 5000
		});
		expect(await allRows(db, 'memberMerges')).toEqual([record]);
		expect((await db.members.get('dup'))?.phone).toBe('');
		expect(await db.profileChanges.where('memberId').equals('dup').first()).toMatchObject({
			field: 'phone',
			to: ''
		});
		const outbox = (await db.outbox.toArray()).map((o) => o.table).sort();
		expect(outbox).toEqual([
			'ledger',
			'ledger',
			'ledger',
			'ledger',
			'ledger',
			'ledger',
			'ledger',
			'memberMerges',
			'members',
			'profileChanges'
		]);
		expect(await findDuplicatePhones(db)).toEqual([]);
	});

	it('moves only what is left when run again', async () => {
		await mergeMembers(db, 'keep', 'dup', 'stf', { deviceId: 'dev-hq', now: NOW });
		const again = await mergeMembers(db, 'keep', 'dup', 'stf', { deviceId: 'dev-hq', now: NOW + 1 });
		expect(again).toMatchObject({ points: 0, principal: 0, bonus: 0, entryIds: [] });
	});

	it('refuses a member into itself, an unknown member and an overdrawn ledger', async () => {
		await expect(mergeMembers(db, 'keep', 'keep', 'stf', { deviceId: 'd' })).rejects.toThrow(MergeError);
		await expect(mergeMembers(db, 'keep', 'nobody', 'stf', { deviceId: 'd' })).rejects.toThrow(MergeError);
		await db.ledger.put(entry('d9', 'dup', { account: 'points', kind: 'spend', amount: 999 }));
		await expect(mergeMembers(db, 'keep', 'dup', 'stf', { deviceId: 'd', now: NOW })).rejects.toThrow();
		expect(await db.outbox.count()).toBe(0);
	});
});
