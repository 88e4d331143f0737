/**
 * Stock on hand is a fold over append-only movements (never a stored number), so replicated movements from other
 * tills can arrive late, twice or out of order and the count still comes out right.
 */
import type { CartLine } from './cart';
import type { SkuId } from './catalog';
import { DomainError } from './errors';
import type { StockMovement } from './sale';

// Duplicated deliveries of the same movement (same id) must count once: replication may replay messages.
function uniqueMovements(movements: readonly StockMovement[]): StockMovement[] {
	const seen = new Set<string>();
	return movements.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

/** On-hand quantity of one SKU at one branch (may be negative after sales below zero). */
export function onHand(movements: readonly StockMovement[], skuId: SkuId, branchId: string): number {
	let total = 0;
	for (const m of uniqueMovements(movements))
		if (m.skuId === skuId && m.branchId === branchId) total += m.qty;
	return total;
}

/** On-hand per SKU, for one branch when `branchId` is given, else summed over every branch in the list. */
export function onHandBySku(movements: readonly StockMovement[], branchId?: string): Map<SkuId, number> {
	const totals = new Map<SkuId, number>();
	for (const m of uniqueMovements(movements)) {
		if (branchId !== undefined && m.branchId !== branchId) continue;
		totals.set(m.skuId, (totals.get(m.skuId) ?? 0) + m.qty);
	}
	return totals;
}

/** The chain's rule for selling what the system thinks is not there. */
export interface StockPolicy {
	/** true: warn and sell (counts are often behind the shelf); false: refuse the sale. */
	allowNegative: boolean;
}

/** ok: enough stock; belowZero: sale takes stock below zero (allowed, warn); refused: not allowed by the chain. */
export type StockStatus = 'ok' | 'belowZero' | 'refused';

/** Stock check result for one cart line. */
export interface StockWarning {
	lineId: string;
	skuId: SkuId;
	status: StockStatus;
	onHand: number;
	/** Units of this SKU in the whole cart (several lines of one SKU draw on the same stock). */
	requested: number;
}

/** Checks every cart line against on-hand (a SKU missing from the map has 0). Same order as the lines. */
export function stockWarnings(
	lines: readonly Pick<CartLine, 'lineId' | 'skuId' | 'qty'>[],
	onHandMap: ReadonlyMap<SkuId, number>,
	policy: StockPolicy
): StockWarning[] {
	const requestedBySku = new Map<SkuId, number>();
	for (const l of lines) requestedBySku.set(l.skuId, (requestedBySku.get(l.skuId) ?? 0) + l.qty);
	return lines.map((l) => {
		const available = onHandMap.get(l.skuId) ?? 0;
		const requested = requestedBySku.get(l.skuId) ?? l.qty;
		const status: StockStatus =
			requested <= available ? 'ok' : policy.allowNegative ? 'belowZero' : 'refused';
		return { lineId: l.lineId, skuId: l.skuId, status, onHand: available, requested };
	});
}

/** Throws stock.insufficient for the first refused line (checkout must not go ahead). */
export function assertStockAllows(warnings: readonly StockWarning[]): void {
	const refused = warnings.find((w) => w.status === 'refused');
	if (refused)
		throw new DomainError('stock.insufficient', {
			skuId: refused.skuId,
			lineId: refused.lineId,
			onHand: refused.onHand,
			requested: refused.requested
		});
}

/** SKUs sold below zero, distinct, for Sale.negativeStockSkuIds. */
export function negativeStockSkuIds(warnings: readonly StockWarning[]): SkuId[] {
	return [...new Set(warnings.filter((w) => w.status === 'belowZero').map((w) => w.skuId))];
}
