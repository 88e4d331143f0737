/**
 * The merge rules, as pure functions over document values (docs/decisions/0008-document-layout.md):
 *
 * - union (sales, stock, ledger, approvals, top-ups, …): a record is written once under its id. A second, different
 *   copy of an id (only deterministic behaviour awards can produce one) never replaces the first: the document's
 *   copy is the one every till materializes.
 * - lww (members, styles, variants, config): the higher version wins, where version = (record version,
 *   writing device id, content). The record version is `updatedAt` (for a profile change: 1 once anonymised), so the
 *   rule is "the later edit wins; on the same millisecond, the higher device id". Yjs' own order for concurrent map
 *   writes (by client id) is NOT the rule: a till that sees the document pick a lower version puts the higher one
 *   back (re-assert), so every replica converges on the explainable winner.
 */
import { SCHEMA_VERSION, stableStringify, type ReplicatedValue } from './protocol';
import { TABLE_LAYOUT, type SyncTable } from './layout';

/** A document value taken apart: the record, its schema version and the device that wrote it. */
export interface Envelope {
	schemaVersion: number;
	by: string;
	record: Record<string, unknown>;
}

/**
 * A document value as an envelope: a replicated value, or a bare record (an object with an id, written before
 * values carried a version) as version 0; undefined for anything else.
 */
export function toEnvelope(raw: unknown): Envelope | undefined {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
	const { schemaVersion, writtenBy, ...record } = raw as Record<string, unknown>;
	if (
		typeof schemaVersion === 'number' &&
		Number.isSafeInteger(schemaVersion) &&
		typeof writtenBy === 'string'
	)
		return { schemaVersion, by: writtenBy, record };
	if (schemaVersion === undefined && writtenBy === undefined && typeof record.id === 'string')
		return { schemaVersion: 0, by: '', record };
	return undefined;
}

/** The document value of an envelope. */
export function toDocValue(value: Envelope): ReplicatedValue {
	return { ...value.record, schemaVersion: value.schemaVersion, writtenBy: value.by };
}

/** A local record as this device writes it (JSON-clean: undefined members dropped). */
export function envelope(record: object, by: string): Envelope {
	return {
		schemaVersion: SCHEMA_VERSION,
		by,
		record: JSON.parse(JSON.stringify(record)) as Record<string, unknown>
	};
}

/** The record version lww compares first. */
export function recordVersion(table: SyncTable, record: Record<string, unknown>): number {
	if (table === 'profileChanges') return record.from === '' && record.to === '' ? 1 : 0;
	const updatedAt = record.updatedAt;
	return typeof updatedAt === 'number' && Number.isFinite(updatedAt) ? updatedAt : 0;
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** lww order: record version, then writing device, then content (a total order: equal only when identical). */
export function compareVersions(table: SyncTable, a: Envelope, b: Envelope): number {
	const byVersion = recordVersion(table, a.record) - recordVersion(table, b.record);
	if (byVersion !== 0) return Math.sign(byVersion);
	return compareStrings(a.by, b.by) || compareStrings(stableStringify(a.record), stableStringify(b.record));
}

export function sameRecord(a: Envelope, b: Envelope): boolean {
	return stableStringify(a.record) === stableStringify(b.record);
}

/**
 * What the write path does with a local record when the document already holds `existing` (a raw document value)
 * under its key: write it, nothing (the same record is there), or keep the document's copy (a union record is
 * never rewritten; an lww record only by a higher version).
 */
export type WriteDecision = 'write' | 'same' | 'keep';

export function decideWrite(table: SyncTable, existing: unknown, local: Envelope): WriteDecision {
	if (existing === undefined) return 'write';
	const held = toEnvelope(existing);
	if (!held) return TABLE_LAYOUT[table].merge === 'lww' ? 'write' : 'keep';
	if (sameRecord(held, local)) return 'same';
	if (TABLE_LAYOUT[table].merge === 'union') return 'keep';
	return compareVersions(table, local, held) > 0 ? 'write' : 'keep';
}

/** The highest lww version among raw document values (unreadable ones ignored); undefined when there is none. */
export function highest(table: SyncTable, candidates: readonly unknown[]): Envelope | undefined {
	let best: Envelope | undefined;
	let bestRaw: unknown;
	for (const raw of candidates) {
		if (raw === bestRaw) continue; // the same value object seen twice (old value = current value)
		const c = toEnvelope(raw);
		if (c && (!best || compareVersions(table, c, best) > 0)) {
			best = c;
			bestRaw = raw;
		}
	}
	return best;
}

export interface LwwResolution {
	/** The value to write into the local tables, or null to leave them (a newer local edit is on its way out). */
	materialize: Envelope | null;
	/** The value to put back into the document because Yjs picked a lower version, or null. */
	reassert: Envelope | null;
}

/**
 * lww on the read path. `current` is the document's value now, `seen` the values this till saw under the key since
 * the last batch (including the one before the change), `pendingLocal` the local record still in the outbox.
 */
export function resolveLww(
	table: SyncTable,
	current: unknown,
	seen: readonly unknown[],
	pendingLocal: Envelope | undefined
): LwwResolution {
	const best = highest(table, [current, ...seen]);
	if (!best) return { materialize: null, reassert: null };
	const held = toEnvelope(current);
	const reassert = held && compareVersions(table, best, held) <= 0 ? null : best;
	if (pendingLocal && compareVersions(table, pendingLocal, best) > 0) return { materialize: null, reassert };
	return { materialize: best, reassert };
}

/** Whether `value` should go back into the document: it is higher than what the key holds now. */
export function stillHigher(table: SyncTable, value: Envelope, current: unknown): boolean {
	const held = toEnvelope(current);
	return !held || compareVersions(table, value, held) > 0;
}

/**
 * The copy of a ledger entry every till keeps when the same id sits in two documents (a behaviour award booked in
 * two months): the domain's canonical order (createdAt, deviceId, seq), then content. Within one document there is
 * only ever one copy. Takes raw document values.
 */
export function firstLedgerCopy(candidates: readonly unknown[]): Envelope | undefined {
	const key = (v: Envelope): [number, string, number, string] => [
		Number(v.record.createdAt),
		String(v.record.deviceId),
		Number(v.record.seq),
		stableStringify(v.record)
	];
	let best: Envelope | undefined;
	for (const raw of candidates) {
		const c = toEnvelope(raw);
		if (!c) continue;
		if (!best) {
			best = c;
			continue;
		}
		const [a, b] = [key(c), key(best)];
		const order = a[0] - b[0] || compareStrings(a[1], b[1]) || a[2] - b[2] || compareStrings(a[3], b[3]);
		if (order < 0) best = c;
	}
	return best;
}
