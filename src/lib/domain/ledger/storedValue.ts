/**
 * Stored value (储值): top-up bonus tiers, how a spend splits between principal and bonus, what can be refunded,
 * and bonus expiry. Principal is the customer's money (refundable, never expires); bonus is the chain's gift.
 */
import type { LevelId } from '../catalog';
import { DomainError } from '../errors';
import { allocate, fen, toDecimalString, ZERO, type Fen } from '../money';
import { stampEntries } from './entries';
import { expiryAfter } from './expiry';
import { expiryDrafts, foldStoredValue } from './fold';
import type { EntryStamp, ExpiryPolicy, FoldResult, LedgerEntry, StoredValueBalance } from './types';

/** 充500送50: top up at least minAmount, get `bonus` (times each full minAmount with repeat), for some levels. */
export interface TopUpTier {
	minAmount: Fen;
	bonus: Fen;
	/** Only members of these levels (empty/undefined = everyone). */
	levelIds?: readonly LevelId[];
	/** 每满500送50: the bonus is given once per full minAmount. */
	repeat?: boolean;
}

function assertAmount(kind: string, amount: number, min: number): void {
	if (!Number.isSafeInteger(amount) || amount < min)
		throw new DomainError('tender.badAmount', { kind, value: String(amount) });
}

/**
 * The best tier for a top-up (largest bonus; ties: the larger minAmount, then the earlier tier), or none.
 * Tiers are not cumulative: 充1000 with tiers 500/50 and 1000/120 gets 120, not 170.
 */
export function topUpBonus(
	amount: Fen,
	tiers: readonly TopUpTier[],
	levelId?: LevelId
): { tier: TopUpTier | null; bonus: Fen } {
	assertAmount('topUp', amount, 1);
	let best: { tier: TopUpTier | null; bonus: Fen } = { tier: null, bonus: ZERO };
	for (const tier of tiers) {
		if (!Number.isSafeInteger(tier.minAmount) || tier.minAmount < 1)
			throw new DomainError('ledger.badPolicy', { field: 'minAmount', value: String(tier.minAmount) });
		if (!Number.isSafeInteger(tier.bonus) || tier.bonus < 0)
			throw new DomainError('ledger.badPolicy', { field: 'bonus', value: String(tier.bonus) });
		if (amount < tier.minAmount) continue;
		if (
			tier.levelIds &&
			tier.levelIds.length > 0 &&
			(levelId === undefined || !tier.levelIds.includes(levelId))
		)
			continue;
		const bonus = fen(tier.repeat ? tier.bonus * Math.floor(amount / tier.minAmount) : tier.bonus);
		const better =
			best.tier === null ||
			bonus > best.bonus ||
			(bonus === best.bonus && tier.minAmount > best.tier.minAmount);
		if (better) best = { tier, bonus };
	}
	return best;
}

/** When a bonus given at `toppedUpAt` expires; undefined when the chain's bonus never expires (policy null). */
export function bonusExpiry(
	toppedUpAt: number,
	policy: ExpiryPolicy | null,
	utcOffsetMinutes: number
): number | undefined {
	return expiryAfter(toppedUpAt, policy, utcOffsetMinutes);
}

/** A top-up as the till records it: principal, best-tier bonus and the bonus's expiry. */
export function planTopUp(input: {
	amount: Fen;
	tiers: readonly TopUpTier[];
	levelId?: LevelId;
	bonusPolicy: ExpiryPolicy | null;
	utcOffsetMinutes: number;
	now: number;
}): { principal: Fen; bonus: Fen; bonusExpiresAt?: number } {
	const { bonus } = topUpBonus(input.amount, input.tiers, input.levelId);
	const bonusExpiresAt =
		bonus > 0 ? bonusExpiry(input.now, input.bonusPolicy, input.utcOffsetMinutes) : undefined;
	return bonusExpiresAt === undefined
		? { principal: input.amount, bonus }
		: { principal: input.amount, bonus, bonusExpiresAt };
}

/** Which bucket pays first: the bonus (common: the member feels the gift), principal, or both in proportion. */
export type StoredValueSpendOrder = 'bonusFirst' | 'principalFirst' | 'proportional';

/**
 * How a stored-value payment of `amount` splits into principal and bonus. The parts sum to `amount` exactly and
 * never exceed what either bucket holds (a bucket in overdraft holds nothing). 'proportional' splits by the
 * buckets' sizes (largest remainder), which keeps a later refund of principal fair. Throws
 * storedValue.insufficient when the balance cannot cover it.
 */
export function planStoredValueSpend(
	balance: StoredValueBalance,
	amount: Fen,
	order: StoredValueSpendOrder
): { principal: Fen; bonus: Fen } {
	assertAmount('storedValue', amount, 0);
	const principal = fen(Math.max(0, balance.principal));
	const bonus = fen(Math.max(0, balance.bonus));
	if (amount > principal + bonus)
		throw new DomainError('storedValue.insufficient', {
			amount: toDecimalString(amount),
			balance: toDecimalString(fen(principal + bonus)),
			principal: toDecimalString(principal),
			bonus: toDecimalString(bonus)
		});
	if (order === 'proportional') {
		const [p, b] = allocate(amount, [principal, bonus]);
		return { principal: p!, bonus: b! };
	}
	if (order === 'bonusFirst') {
		const fromBonus = fen(Math.min(amount, bonus));
		return { principal: fen(amount - fromBonus), bonus: fromBonus };
	}
	const fromPrincipal = fen(Math.min(amount, principal));
	return { principal: fromPrincipal, bonus: fen(amount - fromPrincipal) };
}

/** Principal that can be paid back when a card is closed (退卡): what is left of it, never negative. */
export function refundablePrincipal(entries: readonly LedgerEntry[]): FoldResult<Fen> {
	// Principal never expires, so the fold's `now` does not change it.
	const folded = foldStoredValue(entries, 0);
	if (!folded.ok) return folded;
	return { ok: true, value: fen(Math.max(0, folded.value.principal)) };
}

/** The bonus expire entries to append at `stamp.now`, one per expired bonus batch with something left. */
export function dueBonusExpiries(
	entries: readonly LedgerEntry[],
	stamp: EntryStamp
): FoldResult<LedgerEntry[]> {
	const folded = foldStoredValue(entries, stamp.now);
	if (!folded.ok) return folded;
	const memberId = entries[0]?.memberId;
	const drafts = expiryDrafts(folded.value.bonusBatches, stamp.now, () => ({
		account: 'storedValue',
		kind: 'expire',
		bucket: 'bonus'
	}));
	if (drafts.length === 0 || memberId === undefined) return { ok: true, value: [] };
	return { ok: true, value: stampEntries(memberId, drafts, stamp) };
}
