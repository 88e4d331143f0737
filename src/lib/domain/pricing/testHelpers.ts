/** Builders and invariant checks shared by the pricing specs (test-only; nothing in the app imports this). */
import { fen, type Fen } from '../money';
import { priceCart } from './engine';
import type {
	Adjustment,
	PricedCart,
	PricingContext,
	PricingLine,
	PricingPolicy,
	Promotion,
	PromotionRule
} from './types';

export const NOW = Date.UTC(2026, 10, 22, 4); // 2026-11-22 12:00 Beijing
/** Yuan to fen for readable tables (test data only: the engine never sees a float). */
export const y = (yuan: number): Fen => fen(Math.round(yuan * 100));
export const noRounding: PricingPolicy = { rounding: 'none', promotionsStackWithLevelPrice: true };
export const vip = { memberLevelId: 'vip' };

/** A cart line with sensible defaults: sku-<id>, style st-<id>, category "tops", qty 1, ¥100. */
export function line(lineId: string, over: Partial<Omit<PricingLine, 'lineId'>> = {}): PricingLine {
	return {
		lineId,
		skuId: `sku-${lineId}`,
		styleId: `st-${lineId}`,
		categoryId: 'tops',
		isNewArrival: false,
		qty: 1,
		unitPrice: fen(10000),
		levelPrices: {},
		...over
	};
}

/** An active, stackable, all-scope promotion with priority 10. */
export function promo(
	id: string,
	rule: PromotionRule,
	over: Partial<Omit<Promotion, 'id' | 'rule'>> = {}
): Promotion {
	return { id, name: id, priority: 10, stacking: 'stackable', scope: {}, active: true, rule, ...over };
}

/** Short, readable label for an adjustment: "level:vip", "override", "manual", "promo:<id>", "rounding". */
export function label(a: Adjustment): string {
	switch (a.source.kind) {
		case 'levelPrice':
			return `level:${a.source.levelId}`;
		case 'priceOverride':
			return 'override';
		case 'manual':
			return 'manual';
		case 'promotion':
			return `promo:${a.source.promotionId}`;
		case 'rounding':
			return 'rounding';
	}
}

/** Returns a list of broken invariants (empty when the cart is consistent). */
export function invariantProblems(cart: PricedCart): string[] {
	const problems: string[] = [];
	let total = 0;
	let list = 0;
	let discounts = 0;
	let rounding = 0;
	for (const l of cart.lines) {
		const adj = l.adjustments.reduce((s, a) => s + a.amount, 0);
		if (l.listTotal !== l.unitPrice * l.qty) problems.push(`${l.lineId}: listTotal`);
		if (l.total !== l.listTotal - adj) problems.push(`${l.lineId}: total != list - adjustments`);
		if (l.total < 0) problems.push(`${l.lineId}: negative total`);
		if (l.adjustments.some((a) => a.amount <= 0 || !Number.isSafeInteger(a.amount)))
			problems.push(`${l.lineId}: bad adjustment amount`);
		total += l.total;
		list += l.listTotal;
		for (const a of l.adjustments) {
			if (a.source.kind === 'rounding') rounding += a.amount;
			else discounts += a.amount;
		}
	}
	if (total !== cart.total) problems.push('Σ line totals != total');
	if (list !== cart.listTotal) problems.push('Σ list totals != listTotal');
	if (discounts !== cart.discountTotal) problems.push('discountTotal');
	if (rounding !== cart.roundingDiscount) problems.push('roundingDiscount');
	const promoTotal = cart.applied.reduce((s, p) => s + p.discount, 0);
	const promoAdj = cart.lines
		.flatMap((l) => l.adjustments)
		.filter((a) => a.source.kind === 'promotion')
		.reduce((s, a) => s + a.amount, 0);
	if (promoTotal !== promoAdj) problems.push('applied != promotion adjustments');
	if (cart.applied.some((p) => p.discount <= 0)) problems.push('applied lists a promotion that took nothing');
	return problems;
}

/** A ¥599 jacket (VIP ¥499) in "outer". */
export const jacket = (over: Partial<PricingLine> = {}) =>
	line('J', { categoryId: 'outer', unitPrice: y(599), levelPrices: { vip: y(499) }, ...over });
/** A ¥129 T恤 (VIP ¥119) in "tops". */
export const tee = (over: Partial<PricingLine> = {}) =>
	line('T', { unitPrice: y(129), levelPrices: { vip: y(119) }, ...over });
/** Lines A, B, C, ... with the given unit prices in fen. */
export const prices = (...values: number[]) =>
	values.map((v, i) => line(String.fromCharCode(65 + i), { unitPrice: fen(v) }));

export const pct = (bp: number) => ({ kind: 'percentOff', bp }) as const;
export const spend = (threshold: number, save: number, repeat = false) =>
	({ kind: 'spendSave', threshold: fen(threshold), save: fen(save), repeat }) as const;
export const bogo = (buy: number, get: number) => ({ kind: 'buyNGetM', buy, get }) as const;
export const nth = (n: number, bp: number) => ({ kind: 'nthItem', n, bp }) as const;

/** One row of a table-driven engine test. */
export interface Case {
	name: string;
	lines: PricingLine[];
	promotions?: Promotion[];
	ctx?: Partial<PricingContext>;
	policy?: Partial<PricingPolicy>;
	total: number;
	/** Per lineId: expected total and, optionally, every adjustment as "label=amount" in order. */
	expectLines?: Record<string, [number, string[]?]>;
	/** Applied promotions as "id=discount", in evaluation order. */
	applied?: string[];
	rounding?: number;
}

/** What a case asserts, in a shape that `toEqual` can diff: only the fields the case specifies. */
export interface CaseOutcome {
	problems: string[];
	total: number;
	lineOrder: string[];
	lines: Record<string, [number, string[]?]>;
	applied?: string[];
	rounding?: number;
}

/** Prices a case (at NOW, no rounding unless it says otherwise); returns actual and expected outcomes. */
export function caseOutcome(c: Case): { actual: CaseOutcome; expected: CaseOutcome } {
	const cart = priceCart(c.lines, c.promotions ?? [], { now: NOW, ...c.ctx }, { ...noRounding, ...c.policy });
	const lines: CaseOutcome['lines'] = {};
	for (const [lineId, [, adjustments]] of Object.entries(c.expectLines ?? {})) {
		const priced = cart.lines.find((l) => l.lineId === lineId);
		const labelled = priced?.adjustments.map((a) => `${label(a)}=${a.amount}`) ?? [];
		lines[lineId] = adjustments ? [priced?.total ?? Number.NaN, labelled] : [priced?.total ?? Number.NaN];
	}
	const actual: CaseOutcome = {
		problems: invariantProblems(cart),
		total: cart.total,
		lineOrder: cart.lines.map((l) => l.lineId),
		lines,
		...(c.applied ? { applied: cart.applied.map((a) => `${a.promotionId}=${a.discount}`) } : {}),
		...(c.rounding !== undefined ? { rounding: cart.roundingDiscount } : {})
	};
	const expected: CaseOutcome = {
		problems: [],
		total: c.total,
		lineOrder: c.lines.map((l) => l.lineId),
		lines: c.expectLines ?? {},
		...(c.applied ? { applied: c.applied } : {}),
		...(c.rounding !== undefined ? { rounding: c.rounding } : {})
	};
	return { actual, expected };
}
