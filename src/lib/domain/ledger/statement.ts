/**
 * A member's statement (对账单): every ledger entry with what caused it and the running balance of each account
 * after it, for the member screen. Pure: the caller passes what it knows about sales, top-ups and redemptions.
 *
 * Running balances are book balances: points and bonus batches that passed their expiry but have no expire entry
 * yet still count (the fold's `expiredUnrecorded`), so every row's change is explained by the row itself. The last
 * row's points therefore equal the fold's `balance + expiredUnrecorded`. An expire entry changes the balance only
 * by what it really took: a second till recording the same expiry shows its amount but a change of 0, exactly as
 * the fold ignores it. Entries are deduplicated by id and put in canonical order, as every fold does.
 */
import type { Fen } from '../money';
import { flowOf } from './entries';
import { canonicalCompare, foldPoints, foldStoredValue } from './fold';
import type { LedgerAccount, LedgerEntry, StoredValueBucket } from './types';

export type StatementCause =
	| { kind: 'sale'; saleId: string; number?: string }
	| { kind: 'return'; returnId: string }
	| { kind: 'topUp'; topUpId: string; number?: string }
	| { kind: 'redemption'; redemptionId: string; giftId?: string }
	| { kind: 'adjustment'; staffId: string; reason: string }
	| { kind: 'refund'; refundId: string; reason?: string }
	| { kind: 'behaviour'; event: 'enrolment' | 'profileCompleted' | 'birthday'; year?: number }
	| { kind: 'expiry' }
	| { kind: 'debt'; saleId: string; number?: string };

/** What the caller knows about the records entries refer to (all optional; unknown ids still get a cause). */
export interface StatementLookups {
	/** Sale id -> receipt number. */
	sales?: ReadonlyMap<string, string>;
	/** Top-up id -> receipt number. */
	topUps?: ReadonlyMap<string, string>;
	/** Redemption id -> gift id. */
	redemptions?: ReadonlyMap<string, string>;
}

export interface StatementBalances {
	points: number;
	principal: Fen;
	bonus: Fen;
}

export interface StatementRow {
	entry: LedgerEntry;
	account: LedgerAccount;
	bucket?: StoredValueBucket;
	/** Signed change of the entry's account (points or fen): + in, - out, 0 for a debt record. */
	change: number;
	/** Every account after this entry. */
	after: StatementBalances;
	cause: StatementCause;
}

const BEHAVIOUR = /^(enrolment|profileCompleted)$|^birthday:(\d{4})$/;

/** Why an entry exists, from its kind, its refs and the lookups. `refundIds`: refs[0] of the refund entries. */
export function statementCause(
	entry: LedgerEntry,
	lookups: StatementLookups = {},
	refundIds: ReadonlySet<string> = new Set()
): StatementCause {
	const ref = entry.refs[0] ?? '';
	const sale = () => {
		const number = lookups.sales?.get(ref);
		return number === undefined ? { saleId: ref } : { saleId: ref, number };
	};
	switch (entry.kind) {
		case 'expire':
			return { kind: 'expiry' };
		case 'refund':
			return { kind: 'refund', refundId: ref };
		case 'adjustIn':
		case 'adjustOut':
			// Closing a card forfeits the bonus as an adjustOut that shares the refund's id.
			if (refundIds.has(ref))
				return { kind: 'refund', refundId: ref, ...(entry.reason ? { reason: entry.reason } : {}) };
			return { kind: 'adjustment', staffId: ref, reason: entry.reason ?? '' };
		case 'topUp':
		case 'bonus': {
			const number = lookups.topUps?.get(ref);
			return number === undefined ? { kind: 'topUp', topUpId: ref } : { kind: 'topUp', topUpId: ref, number };
		}
		case 'reverseEarn':
		case 'refundIn':
			return { kind: 'return', returnId: ref };
		case 'debt':
			return { kind: 'debt', ...sale() };
		case 'purchase':
			return { kind: 'sale', ...sale() };
		case 'earn': {
			const m = BEHAVIOUR.exec(ref);
			if (m?.[1]) return { kind: 'behaviour', event: m[1] as 'enrolment' | 'profileCompleted' };
			if (m?.[2]) return { kind: 'behaviour', event: 'birthday', year: Number(m[2]) };
			return { kind: 'sale', ...sale() };
		}
		case 'spend': {
			const giftId = lookups.redemptions?.get(ref);
			if (giftId !== undefined) return { kind: 'redemption', redemptionId: ref, giftId };
			return { kind: 'sale', ...sale() };
		}
	}
}

/** One copy per id (the canonically first, as the folds choose), in canonical order. */
function canonical(entries: readonly LedgerEntry[]): LedgerEntry[] {
	const chosen = new Map<string, LedgerEntry>();
	for (const e of entries) {
		const held = chosen.get(e.id);
		if (!held || canonicalCompare(e, held) < 0) chosen.set(e.id, e);
	}
	return [...chosen.values()].sort(canonicalCompare);
}

/** Expiry the fold ignored (nothing left to expire) in these entries of one pool. */
function ignoredExpiry(entries: readonly LedgerEntry[], at: number, bucket?: StoredValueBucket): number {
	if (bucket === undefined) {
		const folded = foldPoints(entries, at);
		return folded.ok ? folded.value.ignoredExpiry : 0;
	}
	// Only the bonus bucket can expire (entries.ts refuses an expire of principal).
	const folded = foldStoredValue(entries, at);
	return folded.ok ? folded.value.ignoredExpiry : 0;
}

const samePool = (a: LedgerEntry, b: LedgerEntry) => a.account === b.account && a.bucket === b.bucket;

/**
 * The statement of one member, oldest entry first. `opening` is the balance before the first entry (0 unless the
 * caller passes only part of the history). Invalid entries are the fold's business: they are listed like others.
 */
export function memberStatement(
	entries: readonly LedgerEntry[],
	lookups: StatementLookups = {},
	opening: StatementBalances = { points: 0, principal: 0 as Fen, bonus: 0 as Fen }
): StatementRow[] {
	// The spend account records purchases for level qualification; it is no balance the member holds.
	const ordered = canonical(entries.filter((e) => e.account !== 'spend'));
	const refundIds = new Set(ordered.filter((e) => e.kind === 'refund').map((e) => e.refs[0] ?? ''));
	const balance = { ...opening };
	return ordered.map((entry, i) => {
		const flow = flowOf(entry);
		let change = flow === 'in' ? entry.amount : flow === 'out' ? -entry.amount : 0;
		if (flow === 'expire') {
			const pool = ordered.slice(0, i + 1).filter((e) => samePool(e, entry));
			const before = ignoredExpiry(pool.slice(0, -1), entry.createdAt, entry.bucket);
			const after = ignoredExpiry(pool, entry.createdAt, entry.bucket);
			change = after - before - entry.amount;
		}
		if (entry.account === 'points') balance.points += change;
		else if (entry.bucket === 'bonus') balance.bonus = (balance.bonus + change) as Fen;
		else balance.principal = (balance.principal + change) as Fen;
		const row: StatementRow = {
			entry,
			account: entry.account,
			change,
			after: { ...balance },
			cause: statementCause(entry, lookups, refundIds)
		};
		if (entry.bucket !== undefined) row.bucket = entry.bucket;
		return row;
	});
}
