/**
 * The contract between tills and the relay: document names, what each document holds, and the claims of a
 * device token. Pure TypeScript so the relay (sync-server) and the app share one definition.
 *
 * Documents (each kept small, aim <= 2 MB encoded at chain-L; see docs/decisions/0008-document-layout.md):
 * - `<chain>/config`                       chain settings, membership programme, promotions, levels, plans, gifts,
 *                                           branches, staff (PIN hashes), devices — Y.Map 'records' keyed by
 *                                           `<table>/<id>`, values plain JSON (last writer wins per record)
 * - `<chain>/catalog/<shard>`             styles and variants (16 shards by hash of style id), Y.Map 'records'
 * - `<chain>/members/<shard>`             member profiles, profile changes, subscriptions (64 shards by hash of
 *                                           member id), Y.Map 'records'
 * - `<chain>/ledger/<shard>/<yyyymm>`      ledger entries of that member shard and month, Y.Map 'entries'
 *                                           keyed by entry id (append-only: the relay refuses rewrites/deletes)
 * - `<chain>/branch/<branchId>/<yyyymm>/<shard>`  that branch's sales, stock movements, approvals, top-ups,
 *                                           redemptions, gift stock for the month, 4 shards by hash of record id
 *                                           (one unsharded month measured 3.8 MB at chain-L), Y.Map 'records'.
 *                                           The 4-part name without a shard still parses (unsharded).
 */

export const CATALOG_SHARDS = 16;
export const MEMBER_SHARDS = 64;
export const BRANCH_SHARDS = 4;

export type Role = 'cashier' | 'manager' | 'owner';

/** Claims of a device token (JWT signed by the relay; HS256 with the relay's secret, or EdDSA). */
export interface DeviceClaims {
	/** chain id */
	chain: string;
	/** branch id the device belongs to */
	branch: string;
	/** device id (also `sub`) */
	device: string;
	role: Role;
}

export type DocKind = 'config' | 'catalog' | 'members' | 'ledger' | 'branch';

export interface DocRef {
	chain: string;
	kind: DocKind;
	/** shard number for catalog/members/ledger/branch */
	shard?: number;
	/** yyyymm for ledger and branch docs */
	period?: string;
	/** branch id for branch docs */
	branch?: string;
}

/** FNV-1a 32-bit: stable across JS engines, cheap, good enough to spread ids over shards. */
export function hashId(id: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) {
		h ^= id.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

const SAFE = /^[A-Za-z0-9_-]{1,64}$/;

export function docName(ref: DocRef): string {
	if (!SAFE.test(ref.chain)) throw new Error(`bad chain id ${ref.chain}`);
	switch (ref.kind) {
		case 'config':
			return `${ref.chain}/config`;
		case 'catalog':
			return `${ref.chain}/catalog/${ref.shard ?? 0}`;
		case 'members':
			return `${ref.chain}/members/${ref.shard ?? 0}`;
		case 'ledger':
			return `${ref.chain}/ledger/${ref.shard ?? 0}/${ref.period ?? ''}`;
		case 'branch':
			// The shard segment is appended only when given: the 4-part form stays valid (and means "unsharded").
			return `${ref.chain}/branch/${ref.branch ?? ''}/${ref.period ?? ''}${ref.shard === undefined ? '' : `/${ref.shard}`}`;
	}
}

/** Parses a document name; undefined for anything that is not one of ours (the relay refuses it). */
export function parseDocName(name: string): DocRef | undefined {
	const parts = name.split('/');
	const [chain, kind, a, b, c] = parts;
	if (!chain || !SAFE.test(chain)) return undefined;
	const shard = (s: string | undefined, max: number) =>
		s !== undefined && /^\d{1,3}$/.test(s) && Number(s) < max ? Number(s) : undefined;
	const period = (s: string | undefined) => (s !== undefined && /^\d{6}$/.test(s) ? s : undefined);
	if (kind === 'config' && parts.length === 2) return { chain, kind };
	if (kind === 'catalog' && parts.length === 3) {
		const n = shard(a, CATALOG_SHARDS);
		return n === undefined ? undefined : { chain, kind, shard: n };
	}
	if (kind === 'members' && parts.length === 3) {
		const n = shard(a, MEMBER_SHARDS);
		return n === undefined ? undefined : { chain, kind, shard: n };
	}
	if (kind === 'ledger' && parts.length === 4) {
		const n = shard(a, MEMBER_SHARDS);
		const p = period(b);
		return n === undefined || !p ? undefined : { chain, kind, shard: n, period: p };
	}
	if (kind === 'branch' && parts.length === 4 && a && SAFE.test(a)) {
		const p = period(b);
		return p ? { chain, kind, branch: a, period: p } : undefined;
	}
	if (kind === 'branch' && parts.length === 5 && a && SAFE.test(a)) {
		const p = period(b);
		const n = shard(c, BRANCH_SHARDS);
		return p && n !== undefined ? { chain, kind, branch: a, period: p, shard: n } : undefined;
	}
	return undefined;
}

/**
 * What a device may do with a document: tills read chain-wide documents, read and write their own branch's
 * documents and the member/ledger shards; only owner and manager write catalog and config; nobody reaches
 * another chain's documents. Reading another branch's documents is allowed for owners (reports).
 */
export function access(claims: DeviceClaims, ref: DocRef): 'none' | 'read' | 'write' {
	if (ref.chain !== claims.chain) return 'none';
	const manages = claims.role === 'owner' || claims.role === 'manager';
	switch (ref.kind) {
		case 'config':
		case 'catalog':
			return manages ? 'write' : 'read';
		case 'members':
		case 'ledger':
			return 'write';
		case 'branch':
			if (ref.branch === claims.branch) return 'write';
			return claims.role === 'owner' ? 'read' : 'none';
	}
}

export const catalogShard = (styleId: string): number => hashId(styleId) % CATALOG_SHARDS;
export const memberShard = (memberId: string): number => hashId(memberId) % MEMBER_SHARDS;
export const branchShard = (recordId: string): number => hashId(recordId) % BRANCH_SHARDS;

/** yyyymm of an instant in the chain's time zone (default China, UTC+8). */
export function period(epochMs: number, utcOffsetMinutes = 480): string {
	const d = new Date(epochMs + utcOffsetMinutes * 60_000);
	return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

// ---- Replicated values (added with the sync engine; see docs/decisions/0008-document-layout.md) ----

/** Root Y.Map of config, catalog, members and branch documents: `<table>/<id>` → ReplicatedValue. */
export const RECORDS_MAP = 'records';
/** Root Y.Map of ledger documents: `<entry id>` → ReplicatedValue. */
export const ENTRIES_MAP = 'entries';

/** The version of replicated values this app writes. A reader migrates older values and keeps newer ones untouched. */
export const SCHEMA_VERSION = 1;

/**
 * Every value in a document: the record's own fields (plain JSON, never a nested Y type) plus `schemaVersion` (the
 * writer's record version) and `writtenBy` (the device that wrote this version: the last-writer-wins tie-break
 * after `updatedAt`). A ledger value is the entry itself, so `value.id === key` and `value.amount` hold.
 */
export interface ReplicatedValue {
	schemaVersion: number;
	writtenBy: string;
	[field: string]: unknown;
}

/** The fields a replicated value adds to its record. */
export const VALUE_FIELDS = ['schemaVersion', 'writtenBy'] as const;

/** JSON with object keys sorted and undefined members dropped: equal records give equal strings on every engine. */
export function stableStringify(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value))
		return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record)
		.filter((k) => record[k] !== undefined)
		.sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`).join(',')}}`;
}

// Behaviour awards have deterministic ids (domain/ledger/entries.ts behaviourEntryId): two tills may both write one.
const AWARD_ID = /^(bday|enrolment|profileCompleted):/;

/**
 * The ledger documents' append-only rule, applied by the relay and by every peer: a key of `entries` is never
 * deleted, and once set it only ever holds an equal value — except a deterministic behaviour award written by two
 * tills, whose copies may differ in their stamp (device, seq, time) but not in member, account, kind or amount.
 */
export function ledgerChangeAllowed(key: string, before: unknown, after: unknown): boolean {
	if (after === undefined) return before === undefined;
	if (before === undefined) return true;
	if (stableStringify(before) === stableStringify(after)) return true;
	if (!AWARD_ID.test(key) || typeof before !== 'object' || typeof after !== 'object' || !before || !after)
		return false;
	const a = before as Record<string, unknown>;
	const b = after as Record<string, unknown>;
	return (['id', 'memberId', 'account', 'kind', 'amount'] as const).every((f) => a[f] === b[f]);
}

/** The month before a yyyymm period. */
export function previousPeriod(yyyymm: string): string {
	const y = Number(yyyymm.slice(0, 4));
	const m = Number(yyyymm.slice(4, 6));
	return m === 1 ? `${y - 1}12` : `${y}${String(m - 1).padStart(2, '0')}`;
}

/**
 * Top-level websocket message (next to y-websocket's 0 sync, 1 awareness, 2 auth, 3 query-awareness): "send me your
 * state vector". The relay answers with an ordinary sync step 1 of the document (its integrated state vector),
 * after everything it received before on that socket is integrated and persisted. A till's outbox row is
 * acknowledged when such a state vector covers the row's update (docs/decisions/0008). A relay that does not
 * know the message ignores it; the till then falls back to reconnecting, which also yields a step 1.
 */
export const MESSAGE_QUERY_STATE_VECTOR = 100;
