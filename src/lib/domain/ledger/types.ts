/**
 * Points and stored value are append-only ledgers (invariant 3): every change is an entry with a globally unique
 * id; a balance is always a fold over entries; applying an entry twice or in another order changes nothing.
 */
import type { DomainError } from '../errors';
import type { Fen } from '../money';

/**
 * `spend` is not a balance: one `purchase` entry per member sale (its total), so every till of the chain knows a
 * member's spend for level qualification — sales themselves stay in their branch's documents.
 */
export type LedgerAccount = 'points' | 'storedValue' | 'spend';

/**
 * Entry kinds. Amounts are always positive; the kind says the direction.
 * points:  earn (sale, behaviour, birthday), adjustIn/adjustOut (manual, with reason), spend (tender, gift),
 *          expire (FIFO batch expiry), refundIn (a returned points tender), reverseEarn (points of a returned sale)
 * storedValue: topUp (principal), bonus (top-up bonus), spend, refund (unused principal back to the tender),
 *          expire (bonus expiry), adjustIn/adjustOut, refundIn (a returned stored-value tender, same bucket)
 * debt:    an offline overdraft the owner's floor allowed, shown for reconciliation (both accounts). It moves
 *          nothing itself: it authorises the spend that overdrew (see fold.ts).
 */
export type LedgerKind =
	| 'earn'
	| 'spend'
	| 'expire'
	| 'adjustIn'
	| 'adjustOut'
	| 'refundIn'
	| 'reverseEarn'
	| 'topUp'
	| 'bonus'
	| 'refund'
	| 'debt'
	| 'purchase';

/** Which part of stored value an entry touches: principal (real money) or bonus (充500送50's 50). */
export type StoredValueBucket = 'principal' | 'bonus';

export interface LedgerEntry {
	id: string;
	memberId: string;
	account: LedgerAccount;
	kind: LedgerKind;
	/** Positive integer: points, or fen for stored value. */
	amount: number;
	/** Stored value only. */
	bucket?: StoredValueBucket;
	/** Earning batches that expire (points earn, stored-value bonus): epoch ms, exclusive. */
	expiresAt?: number;
	deviceId: string;
	/** Per-device sequence, strictly increasing. */
	seq: number;
	createdAt: number;
	/** What caused it: sale id, return id, top-up id, staff id for adjustments, earning batch ids for spends. */
	refs: string[];
	/** Human reason for adjustments (required for adjustIn/adjustOut). */
	reason?: string;
}

export interface StoredValueBalance {
	principal: Fen;
	bonus: Fen;
	total: Fen;
}

/** Who writes new entries: the device, its next sequence number, its clock and its id generator. */
export interface EntryStamp {
	deviceId: string;
	/** Sequence number of the first entry written; later entries of the same call count up from it. */
	seq: number;
	now: number;
	newId: () => string;
}

/** "Expires at the end of the Nth month after earning" (endOfMonth) or "N months to the day" (not). */
export interface ExpiryPolicy {
	months: number;
	endOfMonth: boolean;
}

/** One inflow (points earn / adjustIn / refundIn, or a stored-value bonus) and what became of it. */
export interface LedgerBatch {
	entryId: string;
	kind: LedgerKind;
	earnedAt: number;
	/** Exclusive; null = never expires. */
	expiresAt: number | null;
	/** What the entry brought in. */
	amount: number;
	/** Taken by spends, adjustOut, reverseEarn, or repaying an earlier overdraft. */
	spent: number;
	/** Taken by expire entries. */
	expired: number;
	/** amount - spent - expired; spendable only while expiresAt > now. */
	remaining: number;
}

/**
 * A fold either succeeds or names the first entry (in canonical order) that breaks the ledger: an invalid entry
 * (`ledger.invalidEntry`) or an overdraft no debt entry authorises (`ledger.overdraft`).
 */
export type FoldResult<T> = { ok: true; value: T } | { ok: false; violation: DomainError };

/** Points of one member at `now`. Plain data (structured-cloneable, so a Worker can compute it). */
export interface PointsFold {
	now: number;
	/** Spendable points now. Negative only while an overdraft authorised by debt entries is unpaid. */
	balance: number;
	/** Every inflow batch in canonical (FIFO) order. */
	batches: LedgerBatch[];
	/** Remainders of batches past expiry that no expire entry has recorded yet (dueExpiries writes these). */
	expiredUnrecorded: number;
	/** Outstanding overdraft (balance = -deficit when > 0); later inflows repay it first. */
	deficit: number;
	/** Sum of debt entries: the overdraft ever authorised. */
	debt: number;
	/** Expire-entry points that found nothing expired to take (a duplicate expiry from another till). */
	ignoredExpiry: number;
}

/** Stored value of one member at `now`: the spendable balance plus the bonus batches and reconciliation facts. */
export interface StoredValueFold extends StoredValueBalance {
	now: number;
	bonusBatches: LedgerBatch[];
	expiredBonusUnrecorded: Fen;
	deficit: { principal: Fen; bonus: Fen };
	debt: { principal: Fen; bonus: Fen };
	ignoredExpiry: Fen;
}
