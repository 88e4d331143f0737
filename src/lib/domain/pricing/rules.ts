/**
 * Promotion rules as pure functions over the eligible lines of one promotion. Lines arrive in canonical order
 * (skuId, then lineId) so that every tie — allocation remainders, equal unit prices — is broken by ids, never by
 * scan order. A rule never takes more off a line than the line's current total.
 */
import { allocate, fen, percentOf, sum, times, ZERO, type BasisPoints, type Fen } from '../money';
import { compareIds } from './eligibility';
import type { PromotionRule } from './types';

/** The view of a line that a rule needs. */
export interface RuleLine {
	lineId: string;
	skuId: string;
	qty: number;
	/** Current line total (after base price, manual discount and earlier promotions); > 0. */
	running: Fen;
}

/** Per line (aligned with the input): fen taken off, and whether the line took part in the promotion. */
export interface RuleOutcome {
	discounts: Fen[];
	/** A line "takes part" when it helped trigger the promotion, even if its own share came to 0 fen. */
	touched: boolean[];
}

/** percentOff: each line loses percentOf(its current total, bp), rounded half up per line. */
export function percentOff(lines: readonly RuleLine[], bp: BasisPoints): RuleOutcome {
	const discounts = lines.map((l) => percentOf(l.running, bp));
	return { discounts, touched: discounts.map((d) => d > 0) };
}

/**
 * 满减: when the eligible subtotal reaches the threshold, save `save` (x floor(subtotal / threshold) with repeat),
 * capped at the subtotal, and split across the lines in proportion to their current totals (largest remainder).
 */
export function spendSave(
	lines: readonly RuleLine[],
	threshold: Fen,
	save: Fen,
	repeat: boolean
): RuleOutcome {
	const subtotal = sum(lines.map((l) => l.running));
	if (subtotal < threshold || save === 0) return none(lines);
	const multiples = repeat ? Math.floor(subtotal / threshold) : 1;
	// save x multiples can only exceed the subtotal (or overflow) when save > subtotal / multiples.
	const saving = save > Math.floor(subtotal / multiples) ? subtotal : times(save, multiples);
	const discounts = allocate(
		saving,
		lines.map((l) => l.running)
	);
	return { discounts, touched: lines.map(() => true) };
}

/** A run of identical units of one line: `count` units each currently worth `value` fen. */
interface UnitRun {
	index: number;
	skuId: string;
	lineId: string;
	value: number;
	count: number;
}

/**
 * Spreads a line's current total evenly over its units (they differ by at most 1 fen) as at most two runs.
 * Units worth 0 fen are dropped: a free gift must not fill the "cheapest" slot of a buy-N-get-M group.
 */
function unitRuns(lines: readonly RuleLine[]): UnitRun[] {
	const runs: UnitRun[] = [];
	lines.forEach((l, index) => {
		const base = Math.floor(l.running / l.qty);
		const extra = l.running % l.qty;
		if (base > 0 && l.qty - extra > 0)
			runs.push({ index, skuId: l.skuId, lineId: l.lineId, value: base, count: l.qty - extra });
		if (extra > 0) runs.push({ index, skuId: l.skuId, lineId: l.lineId, value: base + 1, count: extra });
	});
	// Ascending by unit value, then skuId, then lineId: a total order independent of scan order.
	return runs.sort(
		(a, b) => a.value - b.value || compareIds(a.skuId, b.skuId) || compareIds(a.lineId, b.lineId)
	);
}

/** Units j in [0, x) with j mod groupSize < perGroup: the discounted positions of the first x grouped units. */
function discountedBefore(x: number, groupSize: number, perGroup: number): number {
	return Math.floor(x / groupSize) * perGroup + Math.min(x % groupSize, perGroup);
}

/**
 * Group rule shared by buyNGetM and nthItem. Units are sorted ascending (value, skuId, lineId) and grouped from the
 * most expensive end into complete groups of `groupSize`; the `perGroup` cheapest units of each group get `bp` off
 * (per unit, half up). The `groupSize - 1` or fewer cheapest units left over form no group and pay in full.
 * Grouping from the top means each discounted unit is matched by paid units worth at least as much, and adding a
 * cheaper item to the cart never reshuffles the groups above it.
 */
export function groupDiscount(
	lines: readonly RuleLine[],
	groupSize: number,
	perGroup: number,
	bp: BasisPoints
): RuleOutcome {
	const runs = unitRuns(lines);
	const units = runs.reduce((s, r) => s + r.count, 0);
	const leftover = units % groupSize;
	const discounts = lines.map(() => ZERO);
	const touched = lines.map(() => false);
	let start = 0;
	for (const run of runs) {
		const end = start + run.count;
		if (end > leftover) {
			// Position inside the grouped region, which starts after the leftover cheapest units.
			const from = Math.max(0, start - leftover);
			const to = end - leftover;
			const count = discountedBefore(to, groupSize, perGroup) - discountedBefore(from, groupSize, perGroup);
			const off = times(percentOf(fen(run.value), bp), count);
			discounts[run.index] = fen((discounts[run.index] ?? 0) + off);
			touched[run.index] = true;
		}
		start = end;
	}
	return { discounts, touched };
}

function none(lines: readonly RuleLine[]): RuleOutcome {
	return { discounts: lines.map(() => ZERO), touched: lines.map(() => false) };
}

/** Evaluates one promotion rule over its eligible lines (canonical order). */
export function evaluateRule(rule: PromotionRule, lines: readonly RuleLine[]): RuleOutcome {
	switch (rule.kind) {
		case 'percentOff':
			return percentOff(lines, rule.bp);
		case 'spendSave':
			return spendSave(lines, rule.threshold, rule.save, rule.repeat);
		case 'buyNGetM':
			return groupDiscount(lines, rule.buy + rule.get, rule.get, 10000);
		case 'nthItem':
			return groupDiscount(lines, rule.n, 1, rule.bp);
	}
}
