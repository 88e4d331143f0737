/**
 * The durable checkout: sale, stock movements, approvals, the sale-number counter and outbox rows are committed
 * in ONE strict IndexedDB transaction (invariant 1). Either all of it is on disk or none of it is.
 */
import type { Sale, StockMovement } from '$lib/domain/sale';
import type { Approval } from '$lib/domain/staff';
import { formatSaleNumber } from '$lib/domain/saleNumber';
import type { BranchlineDb, MemberRow, OutboxRow } from './db';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { foldPoints, foldStoredValue } from '$lib/domain/ledger/fold';
import { accountEntries, appendEntries } from './ledger';
import { newId } from './ids';

export interface SaleDraft {
	sale: Omit<Sale, 'number'>;
	movements: StockMovement[];
	approvals: Approval[];
	/** The open cart this sale came from; deleted in the same transaction so it can't be sold twice. */
	cartId: string;
	/** Points and stored-value entries of the sale (spends, earn), numbered in the transaction. */
	ledger?: LedgerEntry[];
	/** The member after this sale (a level reached at the crossing sale), written in the same transaction. */
	member?: MemberRow;
}

export interface NumberParts {
	branchCode: string;
	tillCode: string;
	/** Local date of the sale, YYYYMMDD. */
	dateKey: string;
}

/** Commits a sale and everything it causes; resolves only once the transaction is durable. */
export async function commitSale(db: BranchlineDb, draft: SaleDraft, parts: NumberParts): Promise<Sale> {
	return db.transaction(
		'rw',
		[db.sales, db.stock, db.approvals, db.counters, db.outbox, db.carts, db.ledger, db.members],
		async () => {
			// A cart that is gone was already sold (a double-click on 完成, a second tab): refuse, sell nothing.
			const counterKey = `sale:${parts.dateKey}`;
			const reads = Promise.all([db.carts.get(draft.cartId), db.counters.get(counterKey)]);
			const now = draft.sale.createdAt;
			const memberId = draft.sale.memberId;
			const ledger = memberId ? (draft.ledger ?? []) : [];
			// One outbox row for the sale and what it caused (stock, approvals, ledger: append-only records), not
			// one per record: a sale writes 10 fewer rows and ~30 fewer keys (sync/writer.ts splits it).
			const groups: NonNullable<OutboxRow['also']> = [
				{ table: 'stock', recordIds: draft.movements.map((m) => m.id) },
				{ table: 'approvals', recordIds: draft.approvals.map((a) => a.id) },
				{ table: 'ledger', recordIds: ledger.map((e) => e.id) }
			];
			const also = groups.filter((group) => group.recordIds.length > 0);
			const outbox: OutboxRow = {
				id: newId(),
				table: 'sales',
				recordId: draft.sale.id,
				...(also.length ? { also } : {}),
				createdAt: now
			};
			// Writes that need nothing read here go out behind the reads, in the same round of requests: if the cart
			// turns out to be gone, throwing below aborts the transaction and undoes them.
			const early = Promise.all([
				db.stock.bulkAdd(draft.movements),
				draft.approvals.length ? db.approvals.bulkAdd(draft.approvals) : undefined,
				db.outbox.add(outbox)
			]);
			// Awaited below; when the cart check throws first, its rollback error is not a second, unhandled one.
			early.catch(() => undefined);
			const [cartRow, counter] = await reads;
			if (!cartRow) throw new CartAlreadySoldError(draft.cartId);
			const seq = (counter?.value ?? 0) + 1;
			const sale: Sale = { ...draft.sale, number: formatSaleNumber({ ...parts, date: parts.dateKey, seq }) };
			// Re-fold inside the transaction: another tab may have spent the same balance a moment ago.
			if (memberId && ledger.length) await assertSpendable(db, memberId, ledger, now);
			await Promise.all([
				early,
				db.counters.put({ key: counterKey, value: seq }),
				db.sales.add(sale),
				db.carts.delete(draft.cartId),
				ledger.length ? appendEntries(db, sale.deviceId, ledger, { outbox: false }) : undefined,
				draft.member ? db.members.put(draft.member) : undefined,
				draft.member
					? db.outbox.add({ id: newId(), table: 'members', recordId: draft.member.id, createdAt: now })
					: undefined
			]);
			return sale;
		}
	);
}

export class CartAlreadySoldError extends Error {
	constructor(cartId: string) {
		super(`cart ${cartId} was already completed`);
		this.name = 'CartAlreadySoldError';
	}
}

/** Sales of a branch, newest first, between two instants. */
export async function listSales(
	db: BranchlineDb,
	branchId: string,
	fromMs: number,
	toMs: number,
	limit = 200
): Promise<Sale[]> {
	return db.sales
		.where('[branchId+createdAt]')
		.between([branchId, fromMs], [branchId, toMs], true, false)
		.reverse()
		.limit(limit)
		.toArray();
}

export async function findSaleByNumber(db: BranchlineDb, number: string): Promise<Sale | undefined> {
	return db.sales.where('number').equals(number.trim().toUpperCase()).first();
}

/** Ids of sales that have not reached the relay yet (shown as "not synced" in history). */
export async function unsyncedRecordIds(db: BranchlineDb, table: OutboxRow['table']): Promise<Set<string>> {
	const ids = new Set<string>();
	for (const row of await db.outbox.toArray()) {
		if (row.table === table) ids.add(row.recordId);
		for (const group of row.also ?? [])
			if (group.table === table) for (const id of group.recordIds) ids.add(id);
	}
	return ids;
}

/** Approvals given for something that produced no sale (a voided cart): kept for the audit trail. */
export async function recordApprovals(db: BranchlineDb, approvals: Approval[]): Promise<void> {
	if (approvals.length === 0) return;
	await db.transaction('rw', [db.approvals, db.outbox], async () => {
		await db.approvals.bulkAdd(approvals);
		await db.outbox.bulkAdd(
			approvals.map((a) => ({
				id: newId(),
				table: 'approvals' as const,
				recordId: a.id,
				createdAt: a.createdAt
			}))
		);
	});
}

/** Throws the ledger's violation if the new entries would overdraw points or stored value. */
async function assertSpendable(
	db: BranchlineDb,
	memberId: string,
	entries: LedgerEntry[],
	now: number
): Promise<void> {
	if (entries.some((e) => e.account === 'points')) {
		const fold = foldPoints(
			[...(await accountEntries(db, memberId, 'points')), ...entries.filter((e) => e.account === 'points')],
			now
		);
		if (!fold.ok) throw fold.violation;
	}
	if (entries.some((e) => e.account === 'storedValue')) {
		const fold = foldStoredValue(
			[
				...(await accountEntries(db, memberId, 'storedValue')),
				...entries.filter((e) => e.account === 'storedValue')
			],
			now
		);
		if (!fold.ok) throw fold.violation;
	}
}
