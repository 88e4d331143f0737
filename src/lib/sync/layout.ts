/**
 * Where every replicated record lives: which document (protocol.ts names) and which key of which root map.
 *
 *   table            document                                   map      key            merge
 *   styles           <chain>/catalog/<hash(style id) % 16>      records  styles/<id>    last writer (updatedAt)
 *   variants         <chain>/catalog/<hash(style id) % 16>      records  variants/<id>  last writer (updatedAt)
 *   members          <chain>/members/<hash(member id) % 64>     records  members/<id>   last writer (updatedAt)
 *   profileChanges   <chain>/members/<shard of memberId>        records  …/<id>         union (anonymised wins)
 *   subscriptions    <chain>/members/<shard of memberId>        records  …/<id>         union
 *   memberMerges     <chain>/members/<shard of mergeId>         records  …/<id>         union
 *   ledger           <chain>/ledger/<shard of memberId>/<yyyymm of createdAt>  entries  <entry id>  union
 *   sales, stock, approvals, topUps, redemptions, giftStock
 *                    <chain>/branch/<branchId>/<yyyymm of createdAt>/<hash(sale/ref id) % 4>  records  …/<id>  union
 *   branches, categories, levels, promotions, plans, gifts
 *                    <chain>/config                             records  …/<id>         last writer
 *
 * The placement depends only on the record (and, for approvals, which carry no branch, on the writing device's
 * branch), so writing the same outbox row twice always lands on the same key. See docs/decisions/0008.
 */
import type { OutboxRow } from '$lib/storage/db';
import {
	ENTRIES_MAP,
	RECORDS_MAP,
	branchShard,
	catalogShard,
	docName,
	memberShard,
	period,
	previousPeriod,
	BRANCH_SHARDS,
	CATALOG_SHARDS,
	MEMBER_SHARDS,
	type DocKind,
	type DocRef
} from './protocol';

export type ConfigTable = 'branches' | 'categories' | 'levels' | 'promotions' | 'plans' | 'gifts';
/** Everything the engine replicates: the outbox's tables, member merges and the config records. */
export type SyncTable = OutboxRow['table'] | 'memberMerges' | ConfigTable;

/** union: written once, keyed by id (the first copy in the document stays); lww: the higher version wins. */
export type MergeRule = 'union' | 'lww';

export interface TableLayout {
	kind: DocKind;
	merge: MergeRule;
}

const branchDoc: TableLayout = { kind: 'branch', merge: 'union' };
const configDoc: TableLayout = { kind: 'config', merge: 'lww' };

export const TABLE_LAYOUT: Readonly<Record<SyncTable, TableLayout>> = {
	styles: { kind: 'catalog', merge: 'lww' },
	variants: { kind: 'catalog', merge: 'lww' },
	members: { kind: 'members', merge: 'lww' },
	// A change record is immutable except for a PIPL deletion, which blanks it: lww with "anonymised" as version.
	profileChanges: { kind: 'members', merge: 'lww' },
	subscriptions: { kind: 'members', merge: 'union' },
	memberMerges: { kind: 'members', merge: 'union' },
	ledger: { kind: 'ledger', merge: 'union' },
	sales: branchDoc,
	stock: branchDoc,
	approvals: branchDoc,
	topUps: branchDoc,
	redemptions: branchDoc,
	giftStock: branchDoc,
	branches: configDoc,
	categories: configDoc,
	levels: configDoc,
	promotions: configDoc,
	plans: configDoc,
	gifts: configDoc
};

export const SYNC_TABLES = Object.keys(TABLE_LAYOUT) as SyncTable[];

export function isSyncTable(table: string): table is SyncTable {
	return Object.hasOwn(TABLE_LAYOUT, table);
}

/** What the layout needs to know about the writing device. */
export interface LayoutContext {
	chain: string;
	/** The device's branch: the home of records that carry none (approvals). */
	branch: string;
	/** The chain's time zone (minutes east of UTC) for month periods; the same on every device of a chain. */
	utcOffsetMinutes: number;
	/** Other branches whose sales and stock this device reads (an owner's device: every branch of the chain). */
	readBranches?: readonly string[];
}

export interface Placement {
	doc: DocRef;
	name: string;
	map: typeof RECORDS_MAP | typeof ENTRIES_MAP;
	key: string;
}

export class LayoutError extends Error {
	constructor(table: string, field: string) {
		super(`cannot place a ${table} record: bad or missing ${field}`);
		this.name = 'LayoutError';
	}
}

function field(table: string, record: Record<string, unknown>, name: string): string {
	const value = record[name];
	if (typeof value !== 'string' || value === '') throw new LayoutError(table, name);
	return value;
}

function time(table: string, record: Record<string, unknown>, name: string): number {
	const value = record[name];
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
		throw new LayoutError(table, name);
	return value;
}

/** The document and key of a record. Throws LayoutError when the record lacks what places it. */
export function placeRecord(
	table: SyncTable,
	record: Record<string, unknown>,
	ctx: LayoutContext
): Placement {
	const id = field(table, record, 'id');
	const { chain, utcOffsetMinutes } = ctx;
	const at = (doc: DocRef, map: Placement['map'] = RECORDS_MAP, key = `${table}/${id}`): Placement => ({
		doc,
		name: docName(doc),
		map,
		key
	});
	switch (table) {
		case 'styles':
			return at({ chain, kind: 'catalog', shard: catalogShard(id) });
		case 'variants':
			return at({ chain, kind: 'catalog', shard: catalogShard(field(table, record, 'styleId')) });
		case 'members':
			return at({ chain, kind: 'members', shard: memberShard(id) });
		case 'profileChanges':
		case 'subscriptions':
			return at({ chain, kind: 'members', shard: memberShard(field(table, record, 'memberId')) });
		case 'memberMerges':
			return at({ chain, kind: 'members', shard: memberShard(field(table, record, 'mergeId')) });
		case 'ledger': {
			const doc: DocRef = {
				chain,
				kind: 'ledger',
				shard: memberShard(field(table, record, 'memberId')),
				period: period(time(table, record, 'createdAt'), utcOffsetMinutes)
			};
			return at(doc, ENTRIES_MAP, id);
		}
		case 'approvals':
		case 'sales':
		case 'stock':
		case 'topUps':
		case 'redemptions':
		case 'giftStock': {
			const branch = table === 'approvals' ? ctx.branch : field(table, record, 'branchId');
			return at({
				chain,
				kind: 'branch',
				branch,
				period: period(time(table, record, 'createdAt'), utcOffsetMinutes),
				shard: branchShard(groupId(table, record, id))
			});
		}
		default:
			return at({ chain, kind: 'config' });
	}
}

/**
 * What a branch record is sharded by: the sale, receipt or redemption it belongs to, so that a sale, its stock
 * movements and its approvals share one document and reach the relay in one update.
 */
function groupId(table: SyncTable, record: Record<string, unknown>, id: string): string {
	const ref =
		table === 'stock' || table === 'giftStock'
			? record.refId
			: table === 'approvals'
				? record.saleId
				: undefined;
	return typeof ref === 'string' && ref !== '' ? ref : id;
}

/** The table and id behind a key of a root map; undefined for a key this version does not know. */
export function parseKey(map: string, key: string): { table: SyncTable; id: string } | undefined {
	if (map === ENTRIES_MAP) return key ? { table: 'ledger', id: key } : undefined;
	const slash = key.indexOf('/');
	if (slash <= 0 || slash === key.length - 1) return undefined;
	const table = key.slice(0, slash);
	if (!isSyncTable(table) || table === 'ledger') return undefined;
	return { table, id: key.slice(slash + 1) };
}

/**
 * The documents a till keeps open: chain config, every catalog and member shard, the ledger shards of this and
 * last month, and its own branch's documents of this and last month (a sister till's sale at 23:59 on the 31st
 * must still arrive after midnight).
 */
export function deviceDocs(ctx: LayoutContext, now: number): DocRef[] {
	const { chain, branch } = ctx;
	const current = period(now, ctx.utcOffsetMinutes);
	const periods = [current, previousPeriod(current)];
	const docs: DocRef[] = [{ chain, kind: 'config' }];
	for (let shard = 0; shard < CATALOG_SHARDS; shard++) docs.push({ chain, kind: 'catalog', shard });
	for (let shard = 0; shard < MEMBER_SHARDS; shard++) docs.push({ chain, kind: 'members', shard });
	for (const p of periods)
		for (let shard = 0; shard < MEMBER_SHARDS; shard++)
			docs.push({ chain, kind: 'ledger', shard, period: p });
	const branches = [branch, ...(ctx.readBranches ?? []).filter((b) => b !== branch)];
	for (const b of branches)
		for (const p of periods)
			for (let shard = 0; shard < BRANCH_SHARDS; shard++)
				docs.push({ chain, kind: 'branch', branch: b, period: p, shard });
	return docs;
}

/** The root map a document's records live in. */
export function rootMap(doc: DocRef): Placement['map'] {
	return doc.kind === 'ledger' ? ENTRIES_MAP : RECORDS_MAP;
}
