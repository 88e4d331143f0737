/**
 * Browser side of the loader: turns one chunk of seed records into the rows the till stores by running the app's
 * own first-start import (parseDemoSeed, then importDemoSeed) against a stand-in database that only captures the
 * rows it is given. The big tables get exactly what a till seeded by the app would hold, and the bench follows
 * every change to that import without copying its mapping.
 */
import type { BranchlineDb } from '../../src/lib/storage/db';
import { parseDemoSeed } from '../../src/lib/schema/seed';
import { importDemoSeed } from '../../src/lib/storage/seed';
import type { BigTable } from './types';

/** The seed key holding each big table's records (sales are not part of a till's seed: see chain.ts). */
const SEED_KEY: Partial<Record<BigTable, string>> = {
	styles: 'styles',
	variants: 'variants',
	members: 'members',
	stock: 'stock',
	ledger: 'ledger'
};

export const isSeedTable = (table: BigTable): boolean => table in SEED_KEY;

type Rows = Map<string, unknown[]>;

function capturingTable(name: string, rows: Rows): unknown {
	const push = (items: readonly unknown[]) => {
		const list = rows.get(name) ?? [];
		for (const item of items) list.push(item);
		rows.set(name, list);
		return Promise.resolve();
	};
	const methods: Record<string, unknown> = {
		name,
		bulkPut: push,
		bulkAdd: push,
		put: (item: unknown) => push([item]),
		add: (item: unknown) => push([item]),
		get: () => Promise.resolve(undefined),
		toArray: () => Promise.resolve([]),
		count: () => Promise.resolve(0)
	};
	return new Proxy(methods, {
		get(target, prop) {
			if (typeof prop === 'string' && prop in target) return target[prop];
			throw new Error(
				`the bench's capturing database has no ${name}.${String(prop)} (importDemoSeed changed?)`
			);
		}
	});
}

function capturingDb(rows: Rows): BranchlineDb {
	const tables = new Map<string, unknown>();
	const db = new Proxy(
		{},
		{
			get(_target, prop) {
				if (prop === 'transaction') return (...args: unknown[]) => (args.at(-1) as () => unknown)();
				if (prop === 'tables') return [];
				if (typeof prop !== 'string' || prop === 'then') return undefined;
				if (!tables.has(prop)) tables.set(prop, capturingTable(prop, rows));
				return tables.get(prop);
			}
		}
	);
	return db as BranchlineDb;
}

/** The header with every list a chunk must not repeat emptied (staff: no PIN hashing per chunk). */
export function chunkBase(header: Record<string, unknown>): Record<string, unknown> {
	const base: Record<string, unknown> = { ...header, staff: [], openingBalances: [] };
	for (const key of Object.values(SEED_KEY)) base[key] = [];
	return base;
}

/** Validates one chunk as the app validates its seed and returns the rows importDemoSeed would store. */
export async function convertChunk(
	base: Record<string, unknown>,
	table: BigTable,
	records: unknown[]
): Promise<unknown[]> {
	const key = SEED_KEY[table];
	if (!key) return records;
	const parsed = parseDemoSeed({ ...base, [key]: records });
	if (!parsed.ok) throw new Error(`${table} chunk rejected by parseDemoSeed: ${parsed.problems.join('; ')}`);
	const rows: Rows = new Map();
	await importDemoSeed(capturingDb(rows), parsed.seed);
	const out = rows.get(table) ?? [];
	if (out.length !== records.length)
		throw new Error(`${table}: importDemoSeed stored ${out.length} rows for ${records.length} records`);
	return out;
}
