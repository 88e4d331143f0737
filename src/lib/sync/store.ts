/**
 * The local tables behind the sync tables. Member merges have no table of their own yet (storage/db.ts belongs to
 * the storage owners): they live in `meta` under `memberMerge:<id>` until a `memberMerges` table is added.
 */
import type { Table } from 'dexie';
import type { BranchlineDb } from '$lib/storage/db';
import type { SyncTable } from './layout';

type Row = Record<string, unknown>;

export const MERGE_KEY_PREFIX = 'memberMerge:';

/** Unique indexes of the tables (storage/db.ts '&' fields): a remote row may not take another row's value. */
export const UNIQUE_FIELDS: Partial<Record<SyncTable, string>> = {
	variants: 'barcode',
	sales: 'number',
	topUps: 'number',
	branches: 'code'
};

/** The Dexie table of a sync table (member merges: the meta table). */
export function tableOf(db: BranchlineDb, table: SyncTable): Table<Row, string> {
	const t = table === 'memberMerges' ? db.meta : db.table(table);
	return t as unknown as Table<Row, string>;
}

export async function getRows(
	db: BranchlineDb,
	table: SyncTable,
	ids: readonly string[]
): Promise<(Row | undefined)[]> {
	if (table !== 'memberMerges') return tableOf(db, table).bulkGet([...ids]);
	const rows = await db.meta.bulkGet(ids.map((id) => MERGE_KEY_PREFIX + id));
	return rows.map((r) => (r?.value as Row | undefined) ?? undefined);
}

export async function putRows(db: BranchlineDb, table: SyncTable, rows: readonly Row[]): Promise<void> {
	if (rows.length === 0) return;
	if (table !== 'memberMerges') {
		await tableOf(db, table).bulkPut([...rows]);
		return;
	}
	await db.meta.bulkPut(rows.map((r) => ({ key: MERGE_KEY_PREFIX + String(r.id), value: r })));
}

/** Every row of a sync table (tests and the simulation compare these). */
export async function allRows(db: BranchlineDb, table: SyncTable): Promise<Row[]> {
	if (table !== 'memberMerges') return tableOf(db, table).toArray();
	const rows = await db.meta.where('key').startsWith(MERGE_KEY_PREFIX).toArray();
	return rows.map((r) => r.value as Row);
}
