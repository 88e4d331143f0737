/**
 * First start of a till: if the database is empty, fetch the chain's demo data from the server it was
 * installed from, validate all of it, and write it in one transaction (all or nothing).
 */
import { parseDemoSeed, type DemoSeed } from '$lib/schema/seed';
import { defaultSettings, saveSettings } from './settings';
import { hashPin } from './pin';
import type { BranchlineDb, MemberRow } from './db';

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
	await db.transaction('rw', db.tables, async () => {
		if (await db.meta.get('seededFrom')) return; // another tab got there first
		await db.branches.bulkPut(seed.branches);
		await db.categories.bulkPut(seed.categories);
		await db.levels.bulkPut(seed.levels);
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
