/**
 * Ledger writes and reads. Entries are append-only: nothing here updates or deletes one. Sequence numbers
 * per device are assigned inside the caller's transaction so two writes can never share a seq.
 */
import type { LedgerAccount, LedgerEntry } from '$lib/domain/ledger/types';
import type { BranchlineDb, OutboxRow } from './db';
import { newId } from './ids';

/** Entries of one member (both accounts), in the order they were written. */
export async function memberEntries(db: BranchlineDb, memberId: string): Promise<LedgerEntry[]> {
	const entries = await db.ledger.where('memberId').equals(memberId).toArray();
	return entries.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq || (a.id < b.id ? -1 : 1));
}

export async function accountEntries(
	db: BranchlineDb,
	memberId: string,
	account: LedgerAccount
): Promise<LedgerEntry[]> {
	return db.ledger.where('[memberId+account]').equals([memberId, account]).toArray();
}

/**
 * Numbers and appends entries, with outbox rows. Must run inside a transaction that includes the ledger,
 * counters and outbox tables (every caller commits entries together with the record that caused them).
 * `outbox: false`: the caller names the entries in an outbox row of its own (a sale's row, see commitSale).
 */
export async function appendEntries(
	db: BranchlineDb,
	deviceId: string,
	drafts: LedgerEntry[],
	options: { outbox?: boolean } = {}
): Promise<LedgerEntry[]> {
	if (drafts.length === 0) return [];
	const key = `ledgerSeq:${deviceId}`;
	let seq = (await db.counters.get(key))?.value ?? 0;
	const entries = drafts.map((d) => ({ ...d, deviceId, seq: ++seq }));
	await Promise.all([
		db.counters.put({ key, value: seq }),
		db.ledger.bulkAdd(entries),
		options.outbox === false
			? undefined
			: db.outbox.bulkAdd(
					entries.map((e): OutboxRow => ({
						id: newId(),
						table: 'ledger',
						recordId: e.id,
						createdAt: e.createdAt
					}))
				)
	]);
	return entries;
}
