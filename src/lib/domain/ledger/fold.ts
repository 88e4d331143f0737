/**
 * Balances as folds over ledger entries (invariant 3). Entries are deduplicated by id and put in canonical order
 * (createdAt, deviceId, seq, id) before anything is computed, so replaying, reordering or duplicating entries
 * changes nothing. Points and the stored-value bonus are consumed FIFO by earning batch (see pool.ts).
 *
 * A fold never clamps silently: a balance goes negative only as far as explicit debt entries allow, and anything
 * else (an invalid entry, an unauthorised overdraft) comes back as `{ ok: false, violation }` naming the entry.
 * The till must then refuse points/stored-value spends for that member and flag it for reconciliation.
 */
import { fen } from '../money';
import { stampEntries, type EntryDraft } from './entries';
import { expiredUnrecorded, fifoBatchIds, prepare, runPool, spendable } from './pool';
import type { EntryStamp, FoldResult, LedgerBatch, LedgerEntry, PointsFold, StoredValueFold } from './types';

export { canonicalCompare } from './pool';

/** Points of one member at `now` (entries of other accounts are ignored; other members are a violation). */
export function foldPoints(entries: readonly LedgerEntry[], now: number): FoldResult<PointsFold> {
	const prepared = prepare(entries);
	if (!prepared.ok) return prepared;
	const pool = runPool(
		prepared.value.entries.filter((e) => e.account === 'points'),
		'points'
	);
	if (!pool.ok) return pool;
	const s = pool.value;
	return {
		ok: true,
		value: {
			now,
			balance: spendable(s, now),
			batches: s.batches,
			expiredUnrecorded: expiredUnrecorded(s.batches, now),
			deficit: s.deficit,
			debt: s.debt,
			ignoredExpiry: s.ignoredExpiry
		}
	};
}

/**
 * Stored value of one member at `now`: principal and bonus are separate pools (only principal is refundable,
 * only bonus may expire). `now` matters only when bonus batches carry an expiry.
 */
export function foldStoredValue(entries: readonly LedgerEntry[], now: number): FoldResult<StoredValueFold> {
	const prepared = prepare(entries);
	if (!prepared.ok) return prepared;
	const sv = prepared.value.entries.filter((e) => e.account === 'storedValue');
	const principal = runPool(
		sv.filter((e) => e.bucket === 'principal'),
		'storedValue.principal'
	);
	if (!principal.ok) return principal;
	const bonus = runPool(
		sv.filter((e) => e.bucket === 'bonus'),
		'storedValue.bonus'
	);
	if (!bonus.ok) return bonus;
	const p = fen(spendable(principal.value, now));
	const b = fen(spendable(bonus.value, now));
	return {
		ok: true,
		value: {
			now,
			principal: p,
			bonus: b,
			total: fen(p + b),
			bonusBatches: bonus.value.batches,
			expiredBonusUnrecorded: fen(expiredUnrecorded(bonus.value.batches, now)),
			deficit: { principal: fen(principal.value.deficit), bonus: fen(bonus.value.deficit) },
			debt: { principal: fen(principal.value.debt), bonus: fen(bonus.value.debt) },
			ignoredExpiry: fen(bonus.value.ignoredExpiry)
		}
	};
}

/** Points that expire in (now, now + withinMs], and their batches (for "N points expire on …" reminders). */
export function expiringSoon(
	fold: Pick<PointsFold, 'now' | 'batches'>,
	withinMs: number
): { points: number; batches: LedgerBatch[] } {
	const until = fold.now + withinMs;
	const batches = fold.batches.filter(
		(b) => b.remaining > 0 && b.expiresAt !== null && b.expiresAt > fold.now && b.expiresAt <= until
	);
	return { points: batches.reduce((s, b) => s + b.remaining, 0), batches };
}

/** Batch ids a points spend of `amount` now would consume (FIFO), for the spend entry's refs (audit only). */
export function batchesToConsume(fold: Pick<PointsFold, 'now' | 'batches'>, amount: number): string[] {
	return fifoBatchIds(fold.batches, amount, fold.now);
}

/** One expire draft per batch past expiry with something left, oldest first. */
export function expiryDrafts(
	batches: readonly LedgerBatch[],
	now: number,
	draft: (b: LedgerBatch) => Omit<EntryDraft, 'amount' | 'refs'>
): EntryDraft[] {
	return batches
		.filter((b) => b.remaining > 0 && b.expiresAt !== null && b.expiresAt <= now)
		.map((b) => ({ ...draft(b), amount: b.remaining, refs: [b.entryId] }));
}

/**
 * The expire entries to append at `stamp.now`: one per expired batch with points left, amount = its remainder.
 * Safe to run on several tills: a second expiry of the same batch finds nothing left and is ignored by the fold.
 */
export function dueExpiries(entries: readonly LedgerEntry[], stamp: EntryStamp): FoldResult<LedgerEntry[]> {
	const folded = foldPoints(entries, stamp.now);
	if (!folded.ok) return folded;
	const memberId = entries[0]?.memberId;
	const drafts = expiryDrafts(folded.value.batches, stamp.now, () => ({ account: 'points', kind: 'expire' }));
	if (drafts.length === 0 || memberId === undefined) return { ok: true, value: [] };
	return { ok: true, value: stampEntries(memberId, drafts, stamp) };
}
