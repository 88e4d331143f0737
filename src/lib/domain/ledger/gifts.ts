/**
 * Gift catalog (积分商城) and gift stock. Like SKU stock, gift stock is append-only movements per branch and
 * on-hand is their fold, so redemptions at several branches replicate without losing or inventing a gift.
 */
import { DomainError } from '../errors';
import { fen, times, type Fen } from '../money';

/** A gift members redeem with points, optionally plus cash (积分+现金). */
export interface Gift {
	id: string;
	name: string;
	/** Points per unit (positive integer). */
	pointsPrice: number;
	/** Cash per unit on top of the points (0 for a pure points gift); paid as a normal sale. */
	cashPrice: Fen;
	/** At or below this on-hand quantity the branch is warned to reorder. */
	lowStockThreshold: number;
	active: boolean;
}

export type GiftMovementKind = 'receive' | 'redeem' | 'adjust';

/** One change of a branch's gift stock. Signed qty: receive > 0, redeem < 0, adjust either way. */
export interface GiftStockMovement {
	id: string;
	giftId: string;
	branchId: string;
	qty: number;
	kind: GiftMovementKind;
	/** The delivery, redemption or count that caused it. */
	refId: string;
	deviceId: string;
	createdAt: number;
}

const MAX_QTY = 999;

/** Throws ledger.invalidEntry unless the movement has ids, a known kind and a non-zero qty of the right sign. */
export function validateGiftMovement(m: GiftStockMovement): void {
	const bad = (field: string, value: unknown) =>
		new DomainError('ledger.invalidEntry', { entryId: String(m.id), field, value: String(value) });
	for (const field of ['id', 'giftId', 'branchId', 'refId', 'deviceId'] as const)
		if (typeof m[field] !== 'string' || !m[field].trim()) throw bad(field, m[field]);
	if (!Number.isSafeInteger(m.createdAt) || m.createdAt < 0) throw bad('createdAt', m.createdAt);
	if (!Number.isSafeInteger(m.qty) || m.qty === 0) throw bad('qty', m.qty);
	const signOk = m.kind === 'receive' ? m.qty > 0 : m.kind === 'redeem' ? m.qty < 0 : m.kind === 'adjust';
	if (!signOk) throw bad(m.kind === 'receive' || m.kind === 'redeem' ? 'qty' : 'kind', m.kind);
}

// Replicated movements may arrive twice: each id counts once.
function unique(movements: readonly GiftStockMovement[]): GiftStockMovement[] {
	const seen = new Set<string>();
	return movements.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

/** On-hand of one gift at one branch (negative only if redemptions raced past the count). */
export function giftOnHand(
	movements: readonly GiftStockMovement[],
	giftId: string,
	branchId: string
): number {
	let total = 0;
	for (const m of unique(movements)) if (m.giftId === giftId && m.branchId === branchId) total += m.qty;
	return total;
}

/** On-hand per gift at one branch, or summed over all branches when branchId is omitted. */
export function giftOnHandByGift(
	movements: readonly GiftStockMovement[],
	branchId?: string
): Map<string, number> {
	const totals = new Map<string, number>();
	for (const m of unique(movements)) {
		if (branchId !== undefined && m.branchId !== branchId) continue;
		totals.set(m.giftId, (totals.get(m.giftId) ?? 0) + m.qty);
	}
	return totals;
}

/** Whether a gift needs reordering at this on-hand. */
export function isLowStock(gift: Pick<Gift, 'lowStockThreshold'>, onHand: number): boolean {
	return onHand <= gift.lowStockThreshold;
}

/** Active gifts at or below their threshold (a gift missing from the map has 0), in catalog order. */
export function lowStockGifts(gifts: readonly Gift[], onHand: ReadonlyMap<string, number>): Gift[] {
	return gifts.filter((g) => g.active && isLowStock(g, onHand.get(g.id) ?? 0));
}

/**
 * Checks a redemption of `qty` units and returns its price: points to spend and cash to collect. Throws
 * gift.inactive, cart.badQuantity, gift.outOfStock (never redeems below zero: a gift is physical and promised),
 * points.insufficient.
 */
export function validateRedemption(
	gift: Gift,
	onHand: number,
	pointsBalance: number,
	qty: number
): { points: number; cash: Fen } {
	if (!gift.active) throw new DomainError('gift.inactive', { name: gift.name });
	if (!Number.isSafeInteger(qty) || qty < 1 || qty > MAX_QTY)
		throw new DomainError('cart.badQuantity', { value: String(qty), max: MAX_QTY });
	if (!Number.isSafeInteger(gift.pointsPrice) || gift.pointsPrice < 1)
		throw new DomainError('ledger.badPolicy', { field: 'pointsPrice', value: String(gift.pointsPrice) });
	if (qty > onHand) throw new DomainError('gift.outOfStock', { name: gift.name, onHand, qty });
	const points = gift.pointsPrice * qty;
	if (points > pointsBalance)
		throw new DomainError('points.insufficient', { balance: pointsBalance, required: points });
	return { points, cash: times(fen(gift.cashPrice), qty) };
}

/** The stock movement of a redemption (qty taken out of the branch). */
export function redemptionMovement(input: {
	id: string;
	giftId: string;
	branchId: string;
	qty: number;
	redemptionId: string;
	deviceId: string;
	now: number;
}): GiftStockMovement {
	const movement: GiftStockMovement = {
		id: input.id,
		giftId: input.giftId,
		branchId: input.branchId,
		qty: -input.qty,
		kind: 'redeem',
		refId: input.redemptionId,
		deviceId: input.deviceId,
		createdAt: input.now
	};
	validateGiftMovement(movement);
	return movement;
}
