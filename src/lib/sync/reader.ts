/**
 * The read path's bookkeeping: which keys remote transactions changed since the last batch (with the lww values
 * seen on the way, so a transient higher version is not forgotten), and the checkpoint that tells a restarted
 * engine whether the tables already hold everything its persisted documents hold.
 */
import * as Y from 'yjs';
import type { BranchlineDb } from '$lib/storage/db';
import type { DocHandle } from './docs';
import { LOCAL_ORIGIN } from './docs';
import { parseKey, rootMap, TABLE_LAYOUT } from './layout';
import { CHECKPOINT_PREFIX, type ChangedKey } from './materialize';
import { firstLedgerCopy, highest, toDocValue, type Envelope } from './rules';

interface Pending {
	handle: DocHandle;
	key: string;
	seen: unknown[];
}

export class RemoteChanges {
	private pending = new Map<string, Pending>();

	get size(): number {
		return this.pending.size;
	}

	/** Notes the keys a remote transaction changed. */
	record(handle: DocHandle, event: Y.YMapEvent<unknown>): void {
		for (const [key, change] of event.changes.keys)
			this.note(handle, key, [change.oldValue, handle.map.get(key)]);
	}

	/** Queues one key to be materialized from the document as it is (a local write the document did not take). */
	recordKey(handle: DocHandle, key: string): void {
		this.note(handle, key, []);
	}

	/** Queues every key of a document (a document whose persisted state the tables may not have). */
	recordAll(handle: DocHandle): void {
		for (const key of handle.map.keys()) this.note(handle, key, []);
	}

	private note(handle: DocHandle, key: string, values: unknown[]): void {
		const id = `${handle.name}\u0000${key}`;
		let entry = this.pending.get(id);
		if (!entry) this.pending.set(id, (entry = { handle, key, seen: [] }));
		const table = parseKey(rootMap(handle.ref), key)?.table;
		// Only lww needs history, and only its highest value.
		if (table && TABLE_LAYOUT[table].merge === 'lww') {
			const best = highest(table, [...entry.seen, ...values]);
			entry.seen = best ? [toDocValue(best)] : [];
		}
	}

	/**
	 * Takes the queued keys with their current values and the state vectors they cover (synchronously, so the
	 * checkpoint matches the values exactly). `ledgerDocs` gives the open ledger documents of a shard.
	 */
	take(ledgerDocs: (shard: number) => DocHandle[]): {
		changes: ChangedKey[];
		checkpoints: Map<string, Uint8Array>;
		items: Pending[];
	} {
		const items = [...this.pending.values()];
		this.pending.clear();
		const checkpoints = new Map<string, Uint8Array>();
		const changes = items.map(({ handle, key, seen }): ChangedKey => {
			if (!checkpoints.has(handle.name)) checkpoints.set(handle.name, Y.encodeStateVector(handle.doc));
			const isLedger = handle.ref.kind === 'ledger';
			const first = isLedger
				? firstLedgerCopy(ledgerDocs(handle.ref.shard ?? 0).map((h) => h.map.get(key)))
				: undefined;
			const current = isLedger ? first && toDocValue(first) : handle.map.get(key);
			return { doc: handle.name, map: rootMap(handle.ref), key, current, seen };
		});
		return { changes, checkpoints, items };
	}

	/** Forgets everything queued (the engine stopped; a restart re-reads unmaterialized documents in full). */
	clear(): void {
		this.pending.clear();
	}

	/** Puts taken items back after a failed batch (they are retried with the next one). */
	restore(items: readonly Pending[]): void {
		for (const item of items) this.note(item.handle, item.key, item.seen);
	}
}

/** Whether the tables hold everything the document held when it was last materialized. */
export async function upToDate(db: BranchlineDb, handle: DocHandle): Promise<boolean> {
	const stored = (await db.meta.get(CHECKPOINT_PREFIX + handle.name))?.value;
	const now = Y.encodeStateVector(handle.doc);
	if (!(stored instanceof Uint8Array)) return handle.map.size === 0;
	return stored.length === now.length && stored.every((b, i) => b === now[i]);
}

/** Puts lww values back where Yjs chose a lower version (only if the key still holds a lower one). */
export function reassert(
	docs: ReadonlyMap<string, DocHandle>,
	values: readonly { doc: string; key: string; value: Envelope }[],
	stillHigher: (handle: DocHandle, key: string, value: Envelope) => boolean
): number {
	let count = 0;
	const byDoc = new Map<DocHandle, { key: string; value: Envelope }[]>();
	for (const v of values) {
		const handle = docs.get(v.doc);
		if (!handle) continue;
		const list = byDoc.get(handle) ?? [];
		list.push(v);
		byDoc.set(handle, list);
	}
	for (const [handle, list] of byDoc)
		handle.doc.transact(() => {
			for (const { key, value } of list)
				if (stillHigher(handle, key, value)) {
					handle.map.set(key, toDocValue(value));
					count++;
				}
		}, LOCAL_ORIGIN);
	return count;
}
