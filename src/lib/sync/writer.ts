/**
 * The write path: outbox rows → document values → acknowledged → outbox rows removed.
 *
 * A row is read with its record, checked like any incoming value (records.ts), placed (layout.ts) and written
 * into its document under its key, keyed by id: a row written twice finds its own value there and changes
 * nothing; a union record already in the document is never rewritten (the ledger's append-only rule). The row
 * stays in the outbox until the relay's state vector covers the item that holds the key (ack.ts).
 *
 * A row may name several records (`OutboxRow.also`: a sale with its stock movements, approvals and ledger
 * entries, committed together). Each record is a part with its own key and document; the row is removed once the
 * relay has every part, and a part that cannot leave keeps the whole row (stuck) in the outbox.
 */
import type { BranchlineDb, OutboxRow } from '$lib/storage/db';
import { access, type DeviceClaims, type DocRef } from './protocol';
import {
	isSyncTable,
	LayoutError,
	placeRecord,
	TABLE_LAYOUT,
	type LayoutContext,
	type SyncTable
} from './layout';
import { readValue, toRecord } from './records';
import {
	compareVersions,
	decideWrite,
	envelope,
	sameRecord,
	toDocValue,
	toEnvelope,
	type Envelope
} from './rules';
import { covers, currentItem } from './ack';
import { LOCAL_ORIGIN, type DocHandle } from './docs';
import { getRows } from './store';
import type { SyncLogEvent } from './materialize';

export interface WriterContext {
	db: BranchlineDb;
	claims: DeviceClaims;
	layout: LayoutContext;
	/** The open document, opened on demand (a record of an older month). */
	open(ref: DocRef, name: string): Promise<DocHandle>;
	docs: ReadonlyMap<string, DocHandle>;
	log(event: SyncLogEvent): void;
}

/** One record of a row written into its document, waiting for the relay. */
export interface InFlight {
	rowId: string;
	/** The row's record this is (0 = the row's own table and recordId, then the records of `also` in order). */
	part: number;
	table: SyncTable;
	doc: string;
	key: string;
	/** The value this device wrote or would have written (lww: acknowledged only once no lower value holds the key). */
	local: Envelope;
}

export type StuckReason = 'access' | 'invalid' | 'orphan' | 'unknownTable';

/** Records written per pass: keeps one pass short when a till comes back from a long offline day. */
const BATCH = 2_000;

/** The records a row names: its own, then those of `also`. */
export function rowParts(row: OutboxRow): { table: string; recordId: string }[] {
	const parts: { table: string; recordId: string }[] = [{ table: row.table, recordId: row.recordId }];
	for (const group of row.also ?? [])
		for (const recordId of group.recordIds) parts.push({ table: group.table, recordId });
	return parts;
}

const partKey = (rowId: string, part: number) => `${rowId}#${part}`;

export class OutboxWriter {
	/** Parts written and waiting for the relay, by part key. */
	private readonly flights = new Map<string, InFlight>();
	/** Part keys still waiting, per row (a row is removed from the outbox when its set empties). */
	private readonly waiting = new Map<string, Set<string>>();
	/** Part keys waiting per document (acknowledgement looks only at documents whose relay state changed). */
	private readonly byDoc = new Map<string, Set<string>>();
	/** Rows that cannot leave as things stand (retried when the engine restarts). */
	readonly stuck = new Map<string, StuckReason>();

	/** Writes the outbox rows not yet written; returns the documents written to, and whether rows remain. */
	async drain(
		ctx: WriterContext
	): Promise<{ written: Set<DocHandle>; kept: { handle: DocHandle; key: string }[]; more: boolean }> {
		// Keys first (cheap): most rows of a long offline day are already written and only wait for the relay.
		const ids = (await ctx.db.outbox.toCollection().primaryKeys()) as string[];
		const present = new Set(ids);
		for (const id of [...this.waiting.keys()]) if (!present.has(id)) this.landRow(id);
		const freshIds = ids.filter((id) => !this.waiting.has(id) && !this.stuck.has(id));
		const fresh = (await ctx.db.outbox.bulkGet(freshIds))
			.filter((r): r is OutboxRow => r !== undefined)
			.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
		const batch: OutboxRow[] = [];
		for (let parts = 0; batch.length < fresh.length && parts < BATCH;) {
			const row = fresh[batch.length] as OutboxRow;
			batch.push(row);
			parts += rowParts(row).length;
		}
		const groups = new Map<
			string,
			{
				ref: DocRef;
				writes: { row: OutboxRow; part: number; table: SyncTable; key: string; value: Envelope }[];
			}
		>();
		for (const [table, parts] of groupByTable(batch)) {
			if (!isSyncTable(table)) {
				for (const { row } of parts) this.mark(ctx, row, 'unknownTable', `table ${table} is not replicated`);
				continue;
			}
			const records = await getRows(
				ctx.db,
				table,
				parts.map((p) => p.recordId)
			);
			parts.forEach(({ row, part, recordId }, i) => {
				const stored = records[i];
				if (!stored) return this.mark(ctx, row, 'orphan', `${table}/${recordId} is not in the table`);
				const record = toRecord(table, stored);
				const value = envelope(record, ctx.claims.device);
				const check = readValue(table, recordId, toDocValue(value));
				if (!check.ok) return this.mark(ctx, row, 'invalid', check.message);
				let place;
				try {
					place = placeRecord(table, record, ctx.layout);
				} catch (error) {
					if (error instanceof LayoutError) return this.mark(ctx, row, 'invalid', error.message);
					throw error;
				}
				if (access(ctx.claims, place.doc) !== 'write')
					return this.mark(ctx, row, 'access', `${ctx.claims.role} may not write ${place.name}`);
				let group = groups.get(place.name);
				if (!group) groups.set(place.name, (group = { ref: place.doc, writes: [] }));
				group.writes.push({ row, part, table, key: place.key, value });
			});
		}
		const written = new Set<DocHandle>();
		const kept: { handle: DocHandle; key: string }[] = [];
		for (const [name, group] of groups) {
			const handle = await ctx.open(group.ref, name);
			handle.doc.transact(() => {
				for (const w of group.writes) {
					const decision = decideWrite(w.table, handle.map.get(w.key), w.value);
					if (decision === 'write') handle.map.set(w.key, toDocValue(w.value));
					// The document keeps another version: the local table must end up with it too.
					else if (decision === 'keep') kept.push({ handle, key: w.key });
					this.fly({
						rowId: w.row.id,
						part: w.part,
						table: w.table,
						doc: name,
						key: w.key,
						local: w.value
					});
				}
			}, LOCAL_ORIGIN);
			written.add(handle);
		}
		// A row with a part that cannot leave stays whole: the parts that could leave are written (idempotently)
		// but the row is removed only once, after a restart, every part has left and been acknowledged.
		return { written, kept, more: fresh.length > batch.length };
	}

	/**
	 * Removes the rows the relay now has from the outbox; returns how many. Only rows of `docs` are looked at
	 * (documents whose relay state or content changed since the last call); all rows when omitted.
	 */
	async acknowledge(ctx: WriterContext, docs?: ReadonlySet<string>): Promise<number> {
		const acked: InFlight[] = [];
		const candidates = docs
			? [...docs].flatMap((d) => [...(this.byDoc.get(d) ?? [])].map((id) => this.flights.get(id)!))
			: [...this.flights.values()];
		for (const f of candidates) {
			const handle = ctx.docs.get(f.doc);
			if (!handle?.relaySV) continue;
			const item = currentItem(handle.map, f.key);
			if (!item) continue;
			if (TABLE_LAYOUT[f.table].merge === 'lww') {
				// Our higher version was displaced by a lower one: wait until it is put back (rules.ts, re-assert).
				const current = toEnvelope(handle.map.get(f.key));
				if (current && !sameRecord(current, f.local) && compareVersions(f.table, current, f.local) < 0)
					continue;
			}
			if (covers(handle.relaySV, item)) acked.push(f);
		}
		if (acked.length === 0) return 0;
		const done = new Set(acked.map((f) => partKey(f.rowId, f.part)));
		const rows = [...new Set(acked.map((f) => f.rowId))].filter(
			(rowId) => !this.stuck.has(rowId) && [...(this.waiting.get(rowId) ?? [])].every((k) => done.has(k))
		);
		if (rows.length) await ctx.db.outbox.bulkDelete(rows);
		for (const f of acked) this.land(f.rowId, f.part);
		for (const rowId of rows) this.landRow(rowId);
		return rows.length;
	}

	/** Why each row is still in the outbox (support screens, tests). */
	explain(
		rows: readonly OutboxRow[],
		docs: ReadonlyMap<string, DocHandle>
	): { row: string; table: string; state: string }[] {
		return rows.map((row) => {
			const stuck = this.stuck.get(row.id);
			const flight = this.flight(row.id);
			const handle = flight ? docs.get(flight.doc) : undefined;
			const socket = !handle
				? 'closed'
				: handle.refused
					? 'refused'
					: !handle.connected
						? 'offline'
						: handle.relaySV
							? 'connected'
							: 'connected, relay state unknown';
			const state = stuck
				? `stuck: ${stuck}`
				: flight
					? `waiting for the relay on ${flight.doc} (${socket})`
					: 'not written yet';
			return { row: row.id, table: row.table, state };
		});
	}

	/** Documents that hold rows still waiting for the relay. */
	waitingDocs(): Set<string> {
		return new Set(this.byDoc.keys());
	}

	/** A part of the row written into its document and waiting for the relay, if any. */
	flight(rowId: string): InFlight | undefined {
		for (const key of this.waiting.get(rowId) ?? []) return this.flights.get(key);
		return undefined;
	}

	get size(): number {
		return this.flights.size;
	}

	/** Forgets every row in flight (the engine stopped: a restart writes them again, idempotently). */
	clear(): void {
		this.flights.clear();
		this.waiting.clear();
		this.byDoc.clear();
	}

	private fly(f: InFlight): void {
		const key = partKey(f.rowId, f.part);
		this.flights.set(key, f);
		const parts = this.waiting.get(f.rowId);
		if (parts) parts.add(key);
		else this.waiting.set(f.rowId, new Set([key]));
		const set = this.byDoc.get(f.doc);
		if (set) set.add(key);
		else this.byDoc.set(f.doc, new Set([key]));
	}

	/** One part acknowledged: it no longer waits (its row stays known until landRow). */
	private land(rowId: string, part: number): void {
		const key = partKey(rowId, part);
		const f = this.flights.get(key);
		if (!f) return;
		this.flights.delete(key);
		this.waiting.get(rowId)?.delete(key);
		const set = this.byDoc.get(f.doc);
		set?.delete(key);
		if (set?.size === 0) this.byDoc.delete(f.doc);
	}

	/** The row left the outbox: forget all of it. */
	private landRow(rowId: string): void {
		for (const key of this.waiting.get(rowId) ?? []) {
			const f = this.flights.get(key);
			if (f) this.land(rowId, f.part);
		}
		this.waiting.delete(rowId);
	}

	private mark(ctx: WriterContext, row: OutboxRow, reason: StuckReason, message: string): void {
		this.stuck.set(row.id, reason);
		ctx.log({ level: 'error', code: `outbox.${reason}`, message: `outbox row ${row.id}: ${message}` });
	}
}

/** The parts of the rows, by table (one read per table). */
function groupByTable(
	rows: readonly OutboxRow[]
): Map<string, { row: OutboxRow; part: number; recordId: string }[]> {
	const groups = new Map<string, { row: OutboxRow; part: number; recordId: string }[]>();
	for (const row of rows)
		rowParts(row).forEach(({ table, recordId }, part) => {
			const list = groups.get(table);
			if (list) list.push({ row, part, recordId });
			else groups.set(table, [{ row, part, recordId }]);
		});
	return groups;
}
