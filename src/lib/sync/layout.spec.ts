import { describe, expect, it } from 'vitest';
import {
	deviceDocs,
	LayoutError,
	parseKey,
	placeRecord,
	SYNC_TABLES,
	type LayoutContext,
	type SyncTable
} from './layout';
import { branchShard, catalogShard, docName, memberShard, parseDocName } from './protocol';

const ctx: LayoutContext = { chain: 'c1', branch: 'br-01', utcOffsetMinutes: 480 };
// Months are the chain's (China, UTC+8): an hour either side of midnight on 31 March.
const march31Late = Date.UTC(2026, 2, 31, 15, 30); // 23:30 China time, 31 March
const april1Early = Date.UTC(2026, 2, 31, 16, 30); // 00:30 China time, 1 April

describe('placeRecord', () => {
	const cases: [SyncTable, Record<string, unknown>, string, string, string][] = [
		['styles', { id: 's1' }, `c1/catalog/${catalogShard('s1')}`, 'records', 'styles/s1'],
		['variants', { id: 'v1', styleId: 's1' }, `c1/catalog/${catalogShard('s1')}`, 'records', 'variants/v1'],
		['members', { id: 'm1' }, `c1/members/${memberShard('m1')}`, 'records', 'members/m1'],
		[
			'profileChanges',
			{ id: 'p1', memberId: 'm1' },
			`c1/members/${memberShard('m1')}`,
			'records',
			'profileChanges/p1'
		],
		[
			'subscriptions',
			{ id: 'u1', memberId: 'm1' },
			`c1/members/${memberShard('m1')}`,
			'records',
			'subscriptions/u1'
		],
		[
			'memberMerges',
			{ id: 'g1', mergeId: 'm2' },
			`c1/members/${memberShard('m2')}`,
			'records',
			'memberMerges/g1'
		],
		[
			'ledger',
			{ id: 'e1', memberId: 'm1', createdAt: march31Late },
			`c1/ledger/${memberShard('m1')}/202603`,
			'entries',
			'e1'
		],
		[
			'ledger',
			{ id: 'e2', memberId: 'm1', createdAt: april1Early },
			`c1/ledger/${memberShard('m1')}/202604`,
			'entries',
			'e2'
		],
		[
			'sales',
			{ id: 'x1', branchId: 'br-02', createdAt: march31Late },
			`c1/branch/br-02/202603/${branchShard('x1')}`,
			'records',
			'sales/x1'
		],
		[
			'stock',
			{ id: 'k1', branchId: 'br-02', createdAt: april1Early },
			`c1/branch/br-02/202604/${branchShard('k1')}`,
			'records',
			'stock/k1'
		],
		// A sale's movements and approvals go where the sale goes: one document, one update.
		[
			'stock',
			{ id: 'k2', refId: 'x1', branchId: 'br-02', createdAt: march31Late },
			`c1/branch/br-02/202603/${branchShard('x1')}`,
			'records',
			'stock/k2'
		],
		[
			'approvals',
			{ id: 'a2', saleId: 'x1', createdAt: march31Late },
			`c1/branch/br-01/202603/${branchShard('x1')}`,
			'records',
			'approvals/a2'
		],
		// Approvals carry no branch: they live with the device's branch.
		[
			'approvals',
			{ id: 'a1', createdAt: march31Late },
			`c1/branch/br-01/202603/${branchShard('a1')}`,
			'records',
			'approvals/a1'
		],
		['promotions', { id: 'p9' }, 'c1/config', 'records', 'promotions/p9']
	];
	it.each(cases)('%s %j → %s %s %s', (table, record, name, map, key) => {
		const place = placeRecord(table, record, ctx);
		expect([place.name, place.map, place.key]).toEqual([name, map, key]);
		expect(parseDocName(place.name)).toEqual(place.doc);
		expect(docName(place.doc)).toBe(place.name);
	});

	it('depends on the record only: the same row twice lands on the same key', () => {
		const record = { id: 'e1', memberId: 'm1', createdAt: march31Late, amount: 5 };
		expect(placeRecord('ledger', { ...record }, ctx)).toEqual(placeRecord('ledger', { ...record }, ctx));
	});

	it.each([
		['variants', { id: 'v1' }, 'styleId'],
		['ledger', { id: 'e1', memberId: 'm1' }, 'createdAt'],
		['sales', { id: 's', createdAt: 1 }, 'branchId'],
		['members', { id: '' }, 'id']
	] as const)('refuses a %s record without %s', (table, record, field) => {
		expect(() => placeRecord(table, record, ctx)).toThrow(LayoutError);
		expect(() => placeRecord(table, record, ctx)).toThrow(field);
	});
});

describe('parseKey', () => {
	it.each([
		['records', 'members/m1', { table: 'members', id: 'm1' }],
		['records', 'sales/a/b', { table: 'sales', id: 'a/b' }],
		['entries', 'e1', { table: 'ledger', id: 'e1' }],
		['records', 'ledger/e1', undefined],
		['records', 'futureTable/x', undefined],
		['records', 'members/', undefined],
		['records', 'members', undefined]
	] as const)('%s %s', (map, key, expected) => {
		expect(parseKey(map, key)).toEqual(expected);
	});

	it('knows every table it places', () => {
		for (const table of SYNC_TABLES) expect(SYNC_TABLES).toContain(table);
	});
});

describe('deviceDocs', () => {
	it('opens config, all catalog and member shards, two months of ledgers and of its own branch', () => {
		const docs = deviceDocs(ctx, april1Early).map(docName);
		expect(docs).toHaveLength(1 + 16 + 64 + 2 * 64 + 2 * 4);
		expect(docs).toContain('c1/ledger/0/202603');
		expect(docs).toContain('c1/ledger/63/202604');
		expect(docs).toContain('c1/branch/br-01/202603/3');
		expect(docs.filter((d) => d.includes('/branch/') && !d.includes('br-01'))).toEqual([]);
		expect(new Set(docs).size).toBe(docs.length);
	});

	it("adds the other branches' documents an owner reads, once each", () => {
		const docs = deviceDocs({ ...ctx, readBranches: ['br-01', 'br-02', 'br-03'] }, april1Early).map(docName);
		expect(docs).toHaveLength(1 + 16 + 64 + 2 * 64 + 3 * 2 * 4);
		expect(docs).toContain('c1/branch/br-03/202604/0');
		expect(new Set(docs).size).toBe(docs.length);
	});

	it('crosses the year', () => {
		const docs = deviceDocs(ctx, Date.UTC(2026, 0, 10)).map(docName);
		expect(docs).toContain('c1/ledger/5/202512');
	});
});
