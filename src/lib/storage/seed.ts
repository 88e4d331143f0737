/**
 * First start of a till: if the database is empty, fetch the chain's demo data from the server it was
 * installed from, validate all of it, and write it in one transaction (all or nothing).
 */
import { parseDemoSeed, type DemoSeed } from '$lib/schema/seed';
import { defaultSettings, saveSettings } from './settings';
import { hashPin } from './pin';
import type { BranchlineDb, MemberRow } from './db';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import type { MembershipConfig } from '$lib/domain/members/config';
import { pointsExpiry } from '$lib/domain/ledger/points';
import { entriesForAdjustment } from '$lib/domain/ledger/entries';
import { saveMembership } from './membership';

export class SeedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SeedError';
	}
}

/** Loads the demo chain once; a till that already has a catalog is left alone. */
export async function ensureDemoChain(db: BranchlineDb, url = '/demo/seed.json'): Promise<void> {
	if ((await db.meta.get('seededFrom')) !== undefined) return;
	const response = await fetch(url);
	if (!response.ok) throw new SeedError(`demo data not available (${response.status} at ${url})`);
	const parsed = parseDemoSeed(await response.json());
	if (!parsed.ok) throw new SeedError(`demo data is invalid: ${parsed.problems.join('; ')}`);
	await importDemoSeed(db, parsed.seed);
}

export async function importDemoSeed(db: BranchlineDb, seed: DemoSeed): Promise<void> {
	const staff = await Promise.all(
		seed.staff.map(async ({ pin, ...person }) => ({
			...person,
			pinHash: await hashPin(person.id, pin),
			active: true
		}))
	);
	const members: MemberRow[] = seed.members.map((m) => ({
		id: m.id,
		code: m.code,
		phone: m.phone,
		phoneLast4: m.phone.slice(-4),
		name: m.name,
		gender: 'unspecified',
		birthday: '',
		address: '',
		tags: [],
		notes: '',
		homeBranchId: m.homeBranchId,
		marketingConsent: false,
		levelId: m.levelId,
		levelSince: m.createdAt,
		enrolledAt: m.createdAt,
		enrolledBy: 'import',
		updatedAt: m.createdAt
	}));
	const ledger = [
		...seed.ledger.map((entry) => demoLedgerEntry(entry, seed.membership)),
		...seed.openingBalances.flatMap((b) => openingEntries(b, seed.membership))
	];
	const levels = seed.membership.levels;
	await db.transaction('rw', db.tables, async () => {
		if (await db.meta.get('seededFrom')) return; // another tab got there first
		await db.branches.bulkPut(seed.branches);
		await db.categories.bulkPut(seed.categories);
		// Level rules carry the display fields of MemberLevel plus qualification and benefits.
		await db.levels.bulkPut(levels);
		await db.plans.bulkPut(seed.plans);
		await db.gifts.bulkPut(seed.gifts);
		await db.giftStock.bulkPut(seed.giftStock);
		await db.ledger.bulkPut(ledger);
		await saveMembership(db, seed.membership);
		await db.styles.bulkPut(seed.styles);
		await db.variants.bulkPut(seed.variants);
		await db.stock.bulkPut(seed.stock);
		await db.promotions.bulkPut(seed.promotions);
		await db.members.bulkPut(members);
		await db.staff.bulkPut(staff);
		await saveSettings(db, { ...defaultSettings, ...seed.settings });
		await db.meta.put({ key: 'chainId', value: seed.chain.id });
		await db.meta.put({ key: 'chainName', value: seed.chain.name });
		await db.meta.put({ key: 'seededFrom', value: { seed: seed.seed, at: Date.now() } });
	});
}

/** The generator's compact ledger rows as domain entries (earned points get their expiry date). */
function demoLedgerEntry(entry: DemoSeed['ledger'][number], membership: MembershipConfig): LedgerEntry {
	const base = {
		id: entry.id,
		memberId: entry.memberId,
		amount: entry.amount,
		deviceId: entry.deviceId,
		seq: entry.seq,
		createdAt: entry.createdAt,
		refs: entry.refs
	};
	switch (entry.kind) {
		case 'pointsEarn': {
			const expiresAt = pointsExpiry(entry.createdAt, membership.pointsExpiry, membership.utcOffsetMinutes);
			return { ...base, account: 'points', kind: 'earn', ...(expiresAt ? { expiresAt } : {}) };
		}
		case 'pointsSpend':
			return { ...base, account: 'points', kind: 'spend' };
		case 'storedValueTopUp':
			return { ...base, account: 'storedValue', kind: 'topUp', bucket: 'principal' };
		case 'storedValueSpend':
			return { ...base, account: 'storedValue', kind: 'spend', bucket: 'principal' };
	}
}

/** Opening balances as adjustments with a reason, like a migration from another system would book them. */
function openingEntries(
	balance: DemoSeed['openingBalances'][number],
	membership: MembershipConfig
): LedgerEntry[] {
	const at = Date.now();
	const stamp = {
		deviceId: 'seed',
		seq: 0,
		now: at,
		newId: () => `open-${balance.memberId}-${++openingSeq}`
	};
	const reason = '期初余额';
	const expiresAt = pointsExpiry(at, membership.pointsExpiry, membership.utcOffsetMinutes);
	return [
		...(balance.points > 0
			? entriesForAdjustment(
					{
						memberId: balance.memberId,
						account: 'points',
						direction: 'in',
						amount: balance.points,
						reason,
						staffId: 'seed',
						...(expiresAt ? { expiresAt } : {})
					},
					stamp
				)
			: []),
		...(balance.storedValue > 0
			? entriesForAdjustment(
					{
						memberId: balance.memberId,
						account: 'storedValue',
						direction: 'in',
						amount: balance.storedValue,
						bucket: 'principal',
						reason,
						staffId: 'seed'
					},
					stamp
				)
			: [])
	];
}
let openingSeq = 0;
