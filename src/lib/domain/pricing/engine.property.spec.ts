import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen, type Fen } from '../money';
import { priceCart } from './engine';
import { invariantProblems } from './testHelpers';
import type {
	PricedCart,
	PricingContext,
	PricingLine,
	PricingPolicy,
	Promotion,
	PromotionRule
} from './types';

const NOW = 1_800_000_000_000;
// Few skus/styles/categories so that ties (equal prices, equal skus) and scopes actually happen.
const skuIds = ['s1', 's2', 's3', 's4'];
const styleIds = ['st1', 'st2', 'st3'];
const categoryIds = ['tops', 'outer', 'socks'];

// Common shelf prices make equal unit prices (and so allocation ties) frequent.
const price = fc.oneof(
	fc.constantFrom(0, 999, 9900, 12900, 59900),
	fc.integer({ min: 1, max: 200 }),
	fc.integer({ min: 0, max: 200_000 })
);

// Mostly absent: optional fields and filters that are always present would hide ties and applied promotions.
const rarely = <T>(arb: fc.Arbitrary<T>) =>
	fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

const lineArb: fc.Arbitrary<PricingLine> = fc
	.record({
		lineId: fc.constant('template'),
		skuId: fc.constantFrom(...skuIds),
		styleId: fc.constantFrom(...styleIds),
		categoryId: fc.constantFrom(...categoryIds),
		isNewArrival: fc.boolean(),
		qty: fc.oneof(
			{ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 },
			{ arbitrary: fc.integer({ min: 1, max: 10_000 }), weight: 1 }
		),
		unitPrice: price,
		vip: rarely(price),
		overrideShare: rarely(fc.integer({ min: 0, max: 100 })),
		manual: rarely(
			fc.oneof(
				fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 10000 }) }),
				fc.record({ kind: fc.constant('amount' as const), share: fc.integer({ min: 0, max: 100 }) })
			)
		)
	})
	.map((r): PricingLine => {
		const priceOverride =
			r.overrideShare === undefined ? undefined : Math.floor((r.unitPrice * r.overrideShare) / 100);
		// A manual amount must fit under the cheapest base the line could get (override, level or list price).
		const cheapest = Math.min(r.unitPrice, priceOverride ?? r.unitPrice, r.vip ?? r.unitPrice);
		const manualDiscount =
			r.manual === undefined
				? undefined
				: r.manual.kind === 'percent'
					? r.manual
					: { kind: 'amount' as const, amount: fen(Math.floor((cheapest * r.qty * r.manual.share) / 100)) };
		const levelPrices: Record<string, Fen> = r.vip === undefined ? {} : { vip: fen(r.vip) };
		return {
			lineId: r.lineId,
			skuId: r.skuId,
			styleId: r.styleId,
			categoryId: r.categoryId,
			isNewArrival: r.isNewArrival,
			qty: r.qty,
			unitPrice: fen(r.unitPrice),
			levelPrices,
			...(priceOverride === undefined ? {} : { priceOverride: fen(priceOverride) }),
			...(manualDiscount === undefined ? {} : { manualDiscount })
		};
	});

// Lines are drawn from a few templates so that identical lines (same sku and price, different lineId) are common:
// those are exactly the ties that must be broken by lineId rather than by position.
const linesArb = fc
	.record({
		templates: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
		picks: fc.array(fc.nat(), { maxLength: 8 }),
		ids: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 8, maxLength: 8 })
	})
	.map(({ templates, picks, ids }) =>
		picks.map((pick, i): PricingLine => ({ ...templates[pick % templates.length]!, lineId: ids[i]! }))
	);

const bpArb = fc.integer({ min: 0, max: 10000 });
const ruleArb: fc.Arbitrary<PromotionRule> = fc.oneof(
	fc.record({ kind: fc.constant('percentOff' as const), bp: bpArb }),
	fc.record({
		kind: fc.constant('spendSave' as const),
		threshold: price.map((t) => fen(t + 1)),
		save: price.map(fen),
		repeat: fc.boolean()
	}),
	fc.record({
		kind: fc.constant('buyNGetM' as const),
		buy: fc.integer({ min: 1, max: 4 }),
		get: fc.integer({ min: 1, max: 3 })
	}),
	fc.record({ kind: fc.constant('nthItem' as const), n: fc.integer({ min: 1, max: 4 }), bp: bpArb })
);

const someOf = <T>(values: T[]) => rarely(fc.subarray(values));
const promotionArb = (id: string): fc.Arbitrary<Promotion> =>
	fc.record({
		id: fc.constant(id),
		name: fc.constant(`promo ${id}`),
		priority: fc.integer({ min: 0, max: 3 }),
		stacking: fc.constantFrom('exclusive' as const, 'stackable' as const),
		scope: fc.record({
			categoryIds: someOf(categoryIds),
			styleIds: someOf(styleIds),
			newArrivalsOnly: rarely(fc.boolean()),
			excludeCategoryIds: someOf(categoryIds),
			excludeSkuIds: someOf(skuIds)
		}),
		rule: ruleArb,
		membersOnly: rarely(fc.boolean()),
		startsAt: rarely(fc.integer({ min: NOW - 2, max: NOW + 2 })),
		endsAt: rarely(fc.integer({ min: NOW - 2, max: NOW + 2 })),
		active: fc.oneof(fc.constant(true), fc.boolean())
	});
const promotionsArb = fc
	.integer({ min: 0, max: 5 })
	.chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => promotionArb(`p${i}`))));

const ctxArb: fc.Arbitrary<PricingContext> = fc.record({
	now: fc.constant(NOW),
	memberLevelId: fc.option(fc.constantFrom('vip', 'gold'), { nil: undefined })
});
const policyArb: fc.Arbitrary<PricingPolicy> = fc.record({
	rounding: fc.constantFrom('none' as const, 'jiao' as const, 'yuan' as const),
	promotionsStackWithLevelPrice: fc.boolean()
});

const scenarioArb = fc.record({ lines: linesArb, promotions: promotionsArb, ctx: ctxArb, policy: policyArb });

function priceScenario(s: {
	lines: PricingLine[];
	promotions: Promotion[];
	ctx: PricingContext;
	policy: PricingPolicy;
}) {
	return priceCart(s.lines, s.promotions, s.ctx, s.policy);
}

function byLineId(cart: PricedCart) {
	return Object.fromEntries(cart.lines.map((l) => [l.lineId, l]));
}

const runs = { numRuns: 500 };

describe('priceCart properties', () => {
	it('line totals sum to the total, and every line is listTotal - adjustments', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				expect(invariantProblems(priceScenario(s))).toEqual([]);
			}),
			runs
		);
	});

	it('never negative, never above the list total, lines in input order', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				const cart = priceScenario(s);
				expect(cart.total).toBeGreaterThanOrEqual(0);
				expect(cart.total).toBeLessThanOrEqual(cart.listTotal);
				for (const l of cart.lines) {
					expect(l.total).toBeGreaterThanOrEqual(0);
					expect(l.total).toBeLessThanOrEqual(l.listTotal);
				}
				expect(cart.lines.map((l) => l.lineId)).toEqual(s.lines.map((l) => l.lineId));
			}),
			runs
		);
	});

	it('does not depend on the order lines were scanned in', () => {
		const permuted = scenarioArb.chain((s) =>
			fc.tuple(
				fc.constant(s),
				fc.shuffledSubarray(s.lines, { minLength: s.lines.length, maxLength: s.lines.length })
			)
		);
		fc.assert(
			fc.property(permuted, ([s, shuffled]) => {
				const a = priceScenario(s);
				const b = priceScenario({ ...s, lines: shuffled });
				expect(b.total).toBe(a.total);
				expect(b.applied).toEqual(a.applied);
				expect(b.roundingDiscount).toBe(a.roundingDiscount);
				expect(byLineId(b)).toEqual(byLineId(a));
			}),
			runs
		);
	});

	it('does not depend on the order promotions are listed in', () => {
		const permuted = scenarioArb.chain((s) =>
			fc.tuple(
				fc.constant(s),
				fc.shuffledSubarray(s.promotions, { minLength: s.promotions.length, maxLength: s.promotions.length })
			)
		);
		fc.assert(
			fc.property(permuted, ([s, shuffled]) => {
				expect(priceScenario({ ...s, promotions: shuffled })).toEqual(priceScenario(s));
			}),
			runs
		);
	});

	it('抹零 wipes less than 10 fen (jiao) / 100 fen (yuan), and nothing with none', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				const cart = priceScenario(s);
				const limit = { none: 1, jiao: 10, yuan: 100 }[s.policy.rounding];
				expect(cart.roundingDiscount).toBeGreaterThanOrEqual(0);
				expect(cart.roundingDiscount).toBeLessThan(limit);
				if (s.policy.rounding !== 'none' && cart.total > 0) expect(cart.total % limit).toBe(0);
			}),
			runs
		);
	});

	it('is pure: the same input prices the same twice and is not mutated', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				const snapshot = structuredClone(s);
				const first = priceScenario(s);
				expect(s).toEqual(snapshot);
				expect(priceScenario(s)).toEqual(first);
			}),
			{ numRuns: 100 }
		);
	});
});
