/** Properties of the money rules: stored-value splits, points as a tender, points earned. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { fen } from '../money';
import type { TenderKind } from '../tender';
import {
	maxPointsForSale,
	pointsForSale,
	pointsNeededFor,
	pointsTenderValue,
	type EarnLine,
	type EarnRules
} from './points';
import { planStoredValueSpend } from './storedValue';

const runs = { numRuns: 1000 };
const fenArb = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 10_000_000 }));

describe('planStoredValueSpend properties', () => {
	it('sums exactly, never exceeds a bucket, and refuses only what the balance cannot cover', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -500, max: 100_000 }),
				fc.integer({ min: -500, max: 100_000 }),
				fenArb,
				fc.constantFrom('bonusFirst' as const, 'principalFirst' as const, 'proportional' as const),
				(p, b, amount, order) => {
					const balance = { principal: fen(p), bonus: fen(b), total: fen(p + b) };
					const available = Math.max(0, p) + Math.max(0, b);
					if (amount > available) {
						expect(() => planStoredValueSpend(balance, fen(amount), order)).toThrow(DomainError);
						return;
					}
					const split = planStoredValueSpend(balance, fen(amount), order);
					expect(split.principal + split.bonus).toBe(amount);
					expect(split.principal).toBeGreaterThanOrEqual(0);
					expect(split.bonus).toBeGreaterThanOrEqual(0);
					expect(split.principal).toBeLessThanOrEqual(Math.max(0, p));
					expect(split.bonus).toBeLessThanOrEqual(Math.max(0, b));
				}
			),
			runs
		);
	});
});

const rateArb = fc.record({
	points: fc.integer({ min: 1, max: 1000 }),
	fen: fc.integer({ min: 1, max: 1000 })
});

describe('points tender properties', () => {
	it('value and needed points are inverse bounds', () => {
		fc.assert(
			fc.property(rateArb, fenArb, (rate, amount) => {
				const needed = pointsNeededFor(fen(amount), rate);
				expect(pointsTenderValue(needed, rate)).toBeGreaterThanOrEqual(amount);
				if (needed > 0) expect(pointsTenderValue(needed - 1, rate)).toBeLessThan(amount);
			}),
			runs
		);
	});

	it('max never exceeds the balance, the share or what is due; it is the most value, with the fewest points', () => {
		fc.assert(
			fc.property(
				fenArb,
				fc.integer({ min: -100, max: 1_000_000 }),
				rateArb,
				fc.integer({ min: 0, max: 10000 }),
				fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
				fc.option(fenArb, { nil: undefined }),
				(total, balance, rate, maxShareBp, step, dueRaw) => {
					const policy = { rate, maxShareBp, ...(step === undefined ? {} : { step }) };
					const due = dueRaw === undefined ? undefined : fen(Math.min(dueRaw, total));
					const max = maxPointsForSale(fen(total), balance, policy, due);
					const s = step ?? 1;
					const cap = Math.min(Math.floor((total * maxShareBp) / 10000), due ?? total);
					expect(max.points).toBeGreaterThanOrEqual(0);
					expect(max.points).toBeLessThanOrEqual(Math.max(0, balance));
					expect(max.points % s).toBe(0);
					expect(max.value).toBe(pointsTenderValue(max.points, rate));
					expect(max.value).toBeLessThanOrEqual(cap);
					// Maximal: the fewest points (in steps) worth one fen more are over the balance or over the cap.
					const nextPoints = Math.ceil(pointsNeededFor(fen(max.value + 1), rate) / s) * s;
					expect(nextPoints > balance || pointsTenderValue(nextPoints, rate) > cap).toBe(true);
					// Fewest: one step less is worth less.
					if (max.points > 0) expect(pointsTenderValue(max.points - s, rate)).toBeLessThan(max.value);
				}
			),
			runs
		);
	});
});

const kinds: TenderKind[] = ['cash', 'wechat', 'storedValue', 'points'];
const rulesArb: fc.Arbitrary<EarnRules> = fc.record({
	rate: fc.record({ points: fc.integer({ min: 0, max: 10 }), perFen: fc.integer({ min: 1, max: 1000 }) }),
	excludeStoredValue: fc.boolean(),
	excludePoints: fc.boolean(),
	categoryMultipliersBp: fc.constant({ outer: 30000 }),
	newArrivalMultiplierBp: fc.constant(20000),
	noEarnCategoryIds: fc.constant(['giftcard'])
});
const lineArb = fc.record({
	lineId: fc.constant(''),
	total: fenArb.map(fen),
	categoryId: fc.constantFrom('tops', 'outer', 'giftcard'),
	isNewArrival: fc.boolean()
});
const saleArb = fc
	.record({
		lines: fc.array(lineArb, { maxLength: 6 }),
		rules: rulesArb,
		levelMultiplierBp: fc.option(fc.integer({ min: 0, max: 30000 }), { nil: undefined }),
		shares: fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 100 })), { maxLength: 3 })
	})
	.map(({ lines, shares, ...rest }) => {
		const named: EarnLine[] = lines.map((l, i) => ({ ...l, lineId: `L${i}` }));
		const total = named.reduce((s, l) => s + l.total, 0);
		// Tenders as shares of the total, so non-cash never exceeds it (as settle guarantees).
		let left = total;
		const tenders = shares.flatMap(([kind, pct]) => {
			const amount = Math.min(left, Math.floor((total * pct) / 100));
			left -= amount;
			return amount > 0 ? [{ kind, amount: fen(amount) }] : [];
		});
		return { ...rest, lines: named, tenders };
	});

describe('pointsForSale properties', () => {
	it('whole points, line shares sum to the total, never above the best multiplier on what was paid', () => {
		fc.assert(
			fc.property(saleArb, (sale) => {
				const earned = pointsForSale(sale);
				expect(Number.isSafeInteger(earned.points) && earned.points >= 0).toBe(true);
				expect(earned.lines.reduce((s, l) => s + l.points, 0)).toBe(earned.points);
				const paid = earned.lines.reduce((s, l) => s + l.basis, 0);
				const bound = Math.floor((paid * 30000 * sale.rules.rate.points) / (sale.rules.rate.perFen * 10000));
				expect(earned.points).toBeLessThanOrEqual(Math.max(bound, 0) + 1);
				for (const l of earned.lines) expect(l.basis).toBeGreaterThanOrEqual(0);
			}),
			runs
		);
	});

	it('does not depend on line order, and excluding tenders never earns more', () => {
		fc.assert(
			fc.property(
				saleArb.chain((s) =>
					fc.tuple(
						fc.constant(s),
						fc.shuffledSubarray(s.lines, { minLength: s.lines.length, maxLength: s.lines.length })
					)
				),
				([sale, lines]) => {
					const earned = pointsForSale(sale);
					const byLine = (e: typeof earned) => Object.fromEntries(e.lines.map((l) => [l.lineId, l]));
					expect(byLine(pointsForSale({ ...sale, lines }))).toEqual(byLine(earned));
					const inclusive = { ...sale.rules, excludeStoredValue: false, excludePoints: false };
					expect(pointsForSale({ ...sale, rules: inclusive }).points).toBeGreaterThanOrEqual(earned.points);
				}
			),
			runs
		);
	});
});
