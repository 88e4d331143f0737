/**
 * The read path: remote document changes become rows of the indexed tables the UI reads. One batch = one Dexie
 * transaction (rows of every table, the duplicate-phone marks and the per-document checkpoints), so a batch is
 * either all on disk or not at all. A value that does not validate is skipped, counted and logged; it never
 * reaches a table, and it stays in the document untouched for the versions that can read it.
 */
import Dexie from 'dexie';
import type { BranchlineDb } from '$lib/storage/db';
import { stableStringify } from './protocol';
import { parseKey, TABLE_LAYOUT, type SyncTable } from './layout';
import { readValue, toRecord } from './records';
import { envelope, resolveLww, toDocValue, type Envelope } from './rules';
import { getRows, putRows, tableOf, UNIQUE_FIELDS } from './store';

/** One key of one document that changed since the last batch. */
export interface ChangedKey {
	doc: string;
	map: string;
	key: string;
	/** The document's value now (for a ledger entry: the canonical copy among the open ledger documents). */
	current: unknown;
	/** Values seen under the key since the last batch, the one before the first change included (lww only). */
	seen: unknown[];
}

export type SkipReason = 'malformed' | 'invalid' | 'newer' | 'unknown' | 'conflict' | 'deleted';

export interface SyncLogEvent {
	level: 'info' | 'warn' | 'error';
	code: string;
	message: string;
}

export interface MaterializeResult {
	written: number;
	skipped: Record<SkipReason, number>;
	/** lww values to put back into their documents (Yjs chose a lower version). */
	reassert: { doc: string; map: string; key: string; value: Envelope }[];
	/** Tables that received rows (the UI may refresh them). */
	tables: SyncTable[];
	/** Phones now held by more than one member (for the merge screen). */
	duplicatePhones: string[];
}

export const DUPLICATE_PHONES_KEY = 'sync.duplicatePhones';
export const CHECKPOINT_PREFIX = 'sync.checkpoint:';

type Row = Record<string, unknown>;

const emptySkips = (): Record<SkipReason, number> => ({
	malformed: 0,
	invalid: 0,
	newer: 0,
	unknown: 0,
	conflict: 0,
	deleted: 0
});

/**
 * Writes one batch of remote changes. `checkpoints` (document name → state vector covered by this batch) are
 * stored in the same transaction, so a restart knows which document updates reached the tables.
 */
export async function materialize(
	db: BranchlineDb,
	changes: readonly ChangedKey[],
	opts: {
		deviceId: string;
		log?: (event: SyncLogEvent) => void;
		checkpoints?: ReadonlyMap<string, Uint8Array>;
	}
): Promise<MaterializeResult> {
	const result: MaterializeResult = {
		written: 0,
		skipped: emptySkips(),
		reassert: [],
		tables: [],
		duplicatePhones: []
	};
	const skip = (reason: SkipReason, message: string) => {
		result.skipped[reason]++;
		if (reason !== 'deleted') opts.log?.({ level: 'warn', code: `materialize.${reason}`, message });
	};
	const known: { table: SyncTable; id: string; change: ChangedKey }[] = [];
	for (const change of changes) {
		const parsed = parseKey(change.map, change.key);
		if (parsed) known.push({ ...parsed, change });
		else skip('unknown', `${change.doc}: key ${change.key} is not one this version knows`);
	}
	const touched = [...new Set(known.map((k) => k.table))];
	// One transaction for reading the local edits and writing the batch: a till's own edit that commits meanwhile
	// is either seen here (and kept when newer) or comes after (and is newer than nothing it overwrote).
	const scope = [...new Set([...touched.map((t) => tableOf(db, t)), db.outbox, db.meta, db.members])];
	// Never inside a caller's transaction: a caller that rolls back would silently take this batch with it.
	await Dexie.ignoreTransaction(() =>
		db.transaction('rw', scope, async () => {
			const lwwTables = touched.filter((t) => TABLE_LAYOUT[t].merge === 'lww');
			const pendingRows = lwwTables.length ? await db.outbox.where('table').anyOf(lwwTables).toArray() : [];
			const pending = new Set(pendingRows.map((r) => `${r.table}/${r.recordId}`));
			const byTable = new Map<SyncTable, Map<string, { value: unknown; change: ChangedKey }>>();
			const plan = (table: SyncTable, id: string, change: ChangedKey, local: Envelope | undefined) => {
				let value: unknown = change.current;
				if (TABLE_LAYOUT[table].merge === 'lww') {
					const resolution = resolveLww(table, change.current, change.seen, local);
					if (resolution.reassert)
						result.reassert.push({
							doc: change.doc,
							map: change.map,
							key: change.key,
							value: resolution.reassert
						});
					if (!resolution.materialize) return;
					value = toDocValue(resolution.materialize);
				}
				if (value === undefined) return skip('deleted', `${change.doc}: ${change.key} was deleted`);
				let rows = byTable.get(table);
				if (!rows) byTable.set(table, (rows = new Map()));
				rows.set(id, { value, change });
			};
			// lww keys with a local edit still in the outbox are compared against that edit.
			const localLww = known.filter(
				(k) => TABLE_LAYOUT[k.table].merge === 'lww' && pending.has(`${k.table}/${k.id}`)
			);
			for (const k of known) if (!localLww.includes(k)) plan(k.table, k.id, k.change, undefined);
			for (const [table, items] of groupBy(localLww, (i) => i.table)) {
				const rows = await getRows(
					db,
					table,
					items.map((i) => i.id)
				);
				items.forEach((item, i) => {
					const row = rows[i];
					plan(table, item.id, item.change, row ? envelope(toRecord(table, row), opts.deviceId) : undefined);
				});
			}
			for (const [table, planned] of byTable) {
				const rows: Row[] = [];
				for (const [id, { value, change }] of planned) {
					const read = readValue(table, id, value);
					if (read.ok) rows.push(read.row);
					else skip(read.reason, `${change.doc}: ${read.message}`);
				}
				if (rows.length === 0) continue;
				const existing = await getRows(
					db,
					table,
					rows.map((r) => String(r.id))
				);
				const changed = rows.filter((row, i) => {
					const old = existing[i];
					// Same key order is the common case (a row this code wrote before): the cheap comparison first.
					return (
						!old ||
						(JSON.stringify(old) !== JSON.stringify(row) && stableStringify(old) !== stableStringify(row))
					);
				});
				const accepted = await withoutUniqueClashes(db, table, changed, (row, field) =>
					skip(
						'conflict',
						`${table}/${String(row.id)}: ${field} ${String(row[field])} belongs to another row`
					)
				);
				await putRows(db, table, accepted);
				result.written += accepted.length;
				if (accepted.length) result.tables.push(table);
				if (table === 'members') result.duplicatePhones = await markDuplicatePhones(db, accepted);
			}
			for (const [doc, sv] of opts.checkpoints ?? [])
				await db.meta.put({ key: CHECKPOINT_PREFIX + doc, value: sv });
		})
	);
	return result;
}

/** Rows whose unique field (barcode, sale number, …) is free or already theirs; the rest are reported. */
async function withoutUniqueClashes(
	db: BranchlineDb,
	table: SyncTable,
	rows: Row[],
	report: (row: Row, field: string) => void
): Promise<Row[]> {
	const field = UNIQUE_FIELDS[table];
	if (!field || rows.length === 0) return rows;
	const accepted: Row[] = [];
	const taken = new Map<unknown, string>();
	for (const row of rows) {
		const holder = await tableOf(db, table)
			.where(field)
			.equals(row[field] as string)
			.first();
		const owner = taken.get(row[field]) ?? (holder ? String(holder.id) : undefined);
		if (owner !== undefined && owner !== row.id) {
			report(row, field);
			continue;
		}
		taken.set(row[field], String(row.id));
		accepted.push(row);
	}
	return accepted;
}

/** Marks phones that more than one live member now holds (two offline enrolments): both are kept, then merged. */
async function markDuplicatePhones(db: BranchlineDb, members: Row[]): Promise<string[]> {
	const found: string[] = [];
	for (const phone of new Set(
		members.map((m) => m.phone).filter((p): p is string => typeof p === 'string' && !!p)
	)) {
		const holders = (await db.members.where('phone').equals(phone).toArray()).filter((m) => !m.anonymizedAt);
		if (holders.length > 1) found.push(phone);
	}
	if (found.length) {
		const marked = ((await db.meta.get(DUPLICATE_PHONES_KEY))?.value as string[] | undefined) ?? [];
		await db.meta.put({ key: DUPLICATE_PHONES_KEY, value: [...new Set([...marked, ...found])].sort() });
	}
	return found;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const item of items) {
		const k = key(item);
		const list = groups.get(k);
		if (list) list.push(item);
		else groups.set(k, [item]);
	}
	return groups;
}
