/**
 * The two places where storage and the sync engine meet, kept out of the repositories:
 *
 * - onOutboxCommitted: fires after any committed transaction that touched the outbox, in this context or another
 *   one of the same origin (Dexie's storagemutated event crosses tabs and workers). The sync client uses it to
 *   ping the worker, so no repository has to call anything after its commit.
 * - syncOutboxRow: an outbox row for a table the sync engine owns that OutboxRow['table'] does not list yet
 *   (member merges, see sync/merge.ts). Remove once db.ts lists 'memberMerges'.
 */
import Dexie from 'dexie';
import type { BranchlineDb, OutboxRow } from './db';
import { newId } from './ids';

export function onOutboxCommitted(db: BranchlineDb, fn: () => void): () => void {
	const prefix = `idb://${db.name}/outbox/`;
	const listener = (parts: Record<string, unknown>) => {
		if (Object.keys(parts).some((key) => key.startsWith(prefix))) fn();
	};
	Dexie.on('storagemutated', listener);
	return () => Dexie.on('storagemutated').unsubscribe(listener);
}

export type SyncOutboxTable = OutboxRow['table'] | 'memberMerges';

export function syncOutboxRow(table: SyncOutboxTable, recordId: string, createdAt: number): OutboxRow {
	return { id: newId(createdAt), table: table as OutboxRow['table'], recordId, createdAt };
}
