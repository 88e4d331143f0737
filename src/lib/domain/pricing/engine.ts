/**
 * The pricing engine: cart lines + promotions + context -> a priced cart, as one pure function.
 *
 * Algorithm
 * 1. Validate quantities, prices, manual discounts, unique line ids and every active promotion (inactive drafts
 *    can never change a price, so a malformed draft must not stop the till).
 * 2. Base price per line. An approved price override wins (adjustment 'priceOverride' = (list - override) x qty);
 *    otherwise the attached member's level price, when lower than list ('levelPrice'); otherwise list. A manual
 *    discount then comes off the base total ('manual'; percent = percentOf(base total, bp), half up).
 * 3. Promotions that are active, inside [startsAt, endsAt) and (if members-only) have a member attached are
 *    evaluated one at a time, priority ascending then id. Each sees only eligible lines: in scope, current total
 *    > 0, not level-priced unless policy.promotionsStackWithLevelPrice, and allowed by stacking (below). Each rule
 *    works on the lines' current totals, so later promotions apply to what earlier ones left; group rules spread
 *    a line's total evenly over its units and ignore units worth 0 fen (see rules.ts).
 * 4. 抹零: the order total is rounded down by wipeSmallChange; the wiped fen are split across lines in proportion
 *    to their totals (money.allocate) as 'rounding' adjustments.
 *
 * Stacking policy
 * - A line "takes part" in a promotion when it helped trigger it: it got fen off, or it met a 满减 threshold, or it
 *   was in a complete buy-N-get-M / nth-item group (the paid units too). Promotions that took nothing off at all
 *   count for no line and are not listed in `applied`.
 * - An exclusive promotion skips lines that took part in any earlier promotion, and a line that takes part in an
 *   exclusive promotion is closed to every later one. Stackable promotions combine with each other freely.
 *
 * Determinism: every tie is broken by skuId then lineId (lines are processed in that canonical order), never by
 * array position, so the result does not depend on scan order. Money never leaves integer fen, every line total
 * is listTotal - Σ adjustments >= 0, and Σ line totals === total.
 */
import { DomainError } from '../errors';
import { add, allocate, fen, percentOf, sub, sum, times, wipeSmallChange, ZERO, type Fen } from '../money';
import { compareIds, isLineEligible, livePromotionsInOrder, type LineState } from './eligibility';
import { evaluateRule } from './rules';
import type {
	Adjustment,
	AppliedPromotion,
	PricedCart,
	PricedLine,
	PricingContext,
	PricingLine,
	PricingPolicy,
	Promotion
} from './types';
import { validateLine, validatePromotions, validateUniqueLineIds, yuanParam } from './validate';

interface WorkLine extends LineState {
	adjustments: Adjustment[];
}

/** Prices a cart: base prices, manual discounts, promotions, then 抹零. Throws DomainError on invalid input. */
export function priceCart(
	lines: readonly PricingLine[],
	promotions: readonly Promotion[],
	ctx: PricingContext,
	policy: PricingPolicy
): PricedCart {
	validateUniqueLineIds(lines);
	lines.forEach(validateLine);
	validatePromotions(promotions);

	const work = lines.map((line) => basePrice(line, ctx));
	const canonical = work.slice().sort(byIds);

	const applied: AppliedPromotion[] = [];
	for (const promotion of livePromotionsInOrder(promotions, ctx)) {
		const discount = applyPromotion(promotion, canonical, policy);
		if (discount > 0) applied.push({ promotionId: promotion.id, name: promotion.name, discount });
	}

	const roundingDiscount = applyRounding(canonical, policy);
	const priced = work.map(toPricedLine);
	const listTotal = sum(priced.map((l) => l.listTotal));
	const total = sum(priced.map((l) => l.total));
	return {
		lines: priced,
		applied,
		listTotal,
		discountTotal: sub(sub(listTotal, total), roundingDiscount),
		roundingDiscount,
		total
	};
}

function byIds(a: WorkLine, b: WorkLine): number {
	return compareIds(a.line.skuId, b.line.skuId) || compareIds(a.line.lineId, b.line.lineId);
}

/** Step 2: override or level price, then the manual discount. */
function basePrice(line: PricingLine, ctx: PricingContext): WorkLine {
	const adjustments: Adjustment[] = [];
	let unit = line.unitPrice;
	let levelPriced = false;
	if (line.priceOverride !== undefined) {
		addAdjustment(adjustments, { kind: 'priceOverride' }, times(sub(unit, line.priceOverride), line.qty));
		unit = line.priceOverride;
	} else if (ctx.memberLevelId !== undefined && Object.hasOwn(line.levelPrices, ctx.memberLevelId)) {
		// hasOwn: a level id such as "constructor" must not read Object.prototype.
		const levelPrice = line.levelPrices[ctx.memberLevelId];
		if (levelPrice !== undefined && levelPrice < unit) {
			addAdjustment(
				adjustments,
				{ kind: 'levelPrice', levelId: ctx.memberLevelId },
				times(sub(unit, levelPrice), line.qty)
			);
			unit = levelPrice;
			levelPriced = true;
		}
	}
	const base = times(unit, line.qty);
	const manual = line.manualDiscount;
	let manualOff = ZERO;
	if (manual?.kind === 'percent') manualOff = percentOf(base, manual.bp);
	if (manual?.kind === 'amount') {
		if (manual.amount > base) {
			throw new DomainError('cart.badDiscount', {
				lineId: line.lineId,
				value: yuanParam(manual.amount),
				max: yuanParam(base)
			});
		}
		manualOff = manual.amount;
	}
	addAdjustment(adjustments, { kind: 'manual' }, manualOff);
	return { line, levelPriced, running: sub(base, manualOff), promoted: false, closed: false, adjustments };
}

/** Step 3 for one promotion; returns the fen it took off in total. */
function applyPromotion(promotion: Promotion, canonical: readonly WorkLine[], policy: PricingPolicy): Fen {
	const eligible = canonical.filter((w) => isLineEligible(w, promotion, policy));
	if (eligible.length === 0) return ZERO;
	const outcome = evaluateRule(
		promotion.rule,
		eligible.map((w) => ({ lineId: w.line.lineId, skuId: w.line.skuId, qty: w.line.qty, running: w.running }))
	);
	const total = sum(outcome.discounts);
	if (total === 0) return ZERO;
	const source = { kind: 'promotion', promotionId: promotion.id, name: promotion.name } as const;
	let taken = ZERO;
	eligible.forEach((w, i) => {
		const off = outcome.discounts[i] ?? ZERO;
		// Rules cap at the current total already; this guard keeps "never below 0" local and obvious.
		const capped = off > w.running ? w.running : off;
		addAdjustment(w.adjustments, source, capped);
		w.running = sub(w.running, capped);
		taken = add(taken, capped);
		if (capped > 0 || outcome.touched[i] === true) {
			w.promoted = true;
			if (promotion.stacking === 'exclusive') w.closed = true;
		}
	});
	return taken;
}

/** Step 4: 抹零, spread over the lines by their totals; returns the fen wiped. */
function applyRounding(canonical: readonly WorkLine[], policy: PricingPolicy): Fen {
	const subtotal = sum(canonical.map((w) => w.running));
	const wiped = sub(subtotal, wipeSmallChange(subtotal, policy.rounding));
	if (wiped <= 0) return ZERO;
	const parts = allocate(
		wiped,
		canonical.map((w) => w.running)
	);
	canonical.forEach((w, i) => {
		const part = parts[i] ?? ZERO;
		addAdjustment(w.adjustments, { kind: 'rounding' }, part);
		w.running = sub(w.running, part);
	});
	return wiped;
}

/** Records only adjustments that take something off, so receipts never show "-¥0.00". */
function addAdjustment(adjustments: Adjustment[], source: Adjustment['source'], amount: Fen): void {
	if (amount > 0) adjustments.push({ source, amount });
}

function toPricedLine(w: WorkLine): PricedLine {
	const listTotal = times(w.line.unitPrice, w.line.qty);
	return {
		lineId: w.line.lineId,
		skuId: w.line.skuId,
		qty: w.line.qty,
		unitPrice: w.line.unitPrice,
		listTotal,
		adjustments: w.adjustments,
		total: fen(w.running)
	};
}
