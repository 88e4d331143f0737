/**
 * Points rules: what a sale earns, once-only behaviour awards, expiry dates, and points as a tender. All results
 * are whole points and whole fen; every division rounds in the member-safe direction documented on each function.
 */
import type { CategoryId } from '../catalog';
import { DomainError } from '../errors';
import { allocate, fen, toDecimalString, type BasisPoints, type Fen } from '../money';
import type { TenderKind } from '../tender';
import { behaviourEntryId, type BehaviourEvent } from './entries';
import { expiryAfter, localDate } from './expiry';
import type { ExpiryPolicy, LedgerEntry } from './types';

const FULL: BasisPoints = 10000;

const badPolicy = (field: string, value: unknown) =>
	new DomainError('ledger.badPolicy', { field, value: String(value) });

function assertCount(field: string, value: number, min: number): void {
	if (!Number.isSafeInteger(value) || value < min) throw badPolicy(field, value);
}

// Integer division on BigInt so sums of fen x basis points never lose precision.
const floorDiv = (a: bigint, b: bigint) => a / b;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** A sale line as earning sees it (a PricedLine plus what the catalog says about it). */
export interface EarnLine {
	lineId: string;
	/** What the line costs after every discount (PricedLine.total). */
	total: Fen;
	categoryId: CategoryId;
	isNewArrival: boolean;
}

/** The chain's earning rules. */
export interface EarnRules {
	/** Base rate: `points` per `perFen` paid; {points: 1, perFen: 100} is ¥1 = 1 point, {1, 1000} is ¥10 = 1. */
	rate: { points: number; perFen: number };
	/** Money paid from stored value earns nothing (points were, or could have been, given at top-up). */
	excludeStoredValue: boolean;
	/** Money paid with points earns nothing (no points on points). */
	excludePoints: boolean;
	/** Bonus multipliers by category (20000 = double). */
	categoryMultipliersBp?: Record<CategoryId, BasisPoints>;
	/** 新品双倍积分: multiplier for new arrivals. */
	newArrivalMultiplierBp?: BasisPoints;
	/** Categories that never earn (gift cards, clearance). */
	noEarnCategoryIds?: readonly CategoryId[];
}

/** A live points promotion (the caller passes only those running now), optionally scoped. */
export interface PointsPromo {
	id: string;
	multiplierBp: BasisPoints;
	categoryIds?: readonly CategoryId[];
	newArrivalsOnly?: boolean;
}

/** Everything a sale's earning depends on. */
export interface PointsForSaleInput {
	lines: readonly EarnLine[];
	tenders: readonly { kind: TenderKind; amount: Fen }[];
	rules: EarnRules;
	/** The member level's multiplier (LevelRule.pointsMultiplierBp). */
	levelMultiplierBp?: BasisPoints;
	/** An active paid plan's multiplier (PaidPlan.pointsMultiplierBp). */
	planMultiplierBp?: BasisPoints;
	promoMultipliers?: readonly PointsPromo[];
}

/** Points of a sale, with each line's share (the shares sum to `points`; a partial return reverses its lines'). */
export interface PointsEarned {
	points: number;
	lines: { lineId: string; basis: Fen; multiplierBp: BasisPoints; points: number }[];
}

/**
 * money.allocate with ties broken by lineId instead of position, so the result does not depend on the order the
 * lines were scanned in (a rounding fen on a double-points line is worth two points on another).
 */
function allocateByLineId(
	total: Fen,
	lines: readonly { lineId: string }[],
	weights: readonly number[]
): Fen[] {
	if (lines.length === 0) return [];
	const order = lines
		.map((_, i) => i)
		.sort((a, b) =>
			lines[a]!.lineId < lines[b]!.lineId ? -1 : lines[a]!.lineId > lines[b]!.lineId ? 1 : a - b
		);
	const parts = allocate(
		total,
		order.map((i) => weights[i]!)
	);
	const result: Fen[] = new Array<Fen>(lines.length);
	order.forEach((i, k) => (result[i] = parts[k]!));
	return result;
}

function checkMultiplier(field: string, bp: BasisPoints | undefined): BasisPoints {
	if (bp === undefined) return FULL;
	assertCount(field, bp, 0);
	return bp;
}

/**
 * The multiplier of one line: the largest that applies (base 1x, level, plan, category, new arrival, promotions),
 * never their product, so a VIP buying a new arrival in a double-points week earns 2x, not 1.5 x 2 x 2: the
 * chain's liability stays bounded by its single best offer, and the cashier can say why. Multipliers below 1x
 * never reduce earning; use noEarnCategoryIds for that.
 */
function lineMultiplier(line: EarnLine, input: PointsForSaleInput): BasisPoints {
	const { rules } = input;
	if (rules.noEarnCategoryIds?.includes(line.categoryId)) return 0;
	const applicable = [
		FULL,
		checkMultiplier('levelMultiplierBp', input.levelMultiplierBp),
		checkMultiplier('planMultiplierBp', input.planMultiplierBp)
	];
	const byCategory = rules.categoryMultipliersBp;
	if (byCategory && Object.hasOwn(byCategory, line.categoryId))
		applicable.push(checkMultiplier('categoryMultipliersBp', byCategory[line.categoryId]));
	if (line.isNewArrival)
		applicable.push(checkMultiplier('newArrivalMultiplierBp', rules.newArrivalMultiplierBp));
	for (const p of input.promoMultipliers ?? []) {
		if (p.categoryIds && p.categoryIds.length > 0 && !p.categoryIds.includes(line.categoryId)) continue;
		if (p.newArrivalsOnly && !line.isNewArrival) continue;
		applicable.push(checkMultiplier(`promo:${p.id}`, p.multiplierBp));
	}
	return Math.max(...applicable);
}

/**
 * Points a sale earns. Basis = what each line costs after discounts, less its proportional share (largest
 * remainder) of what stored value / points tenders paid when the rules exclude them. Points are floored once over
 * the whole order, so splitting a purchase into lines never loses a point.
 */
export function pointsForSale(input: PointsForSaleInput): PointsEarned {
	const { rate } = input.rules;
	assertCount('rate.points', rate.points, 0);
	assertCount('rate.perFen', rate.perFen, 1);
	const totals = input.lines.map((l) => {
		if (!Number.isSafeInteger(l.total) || l.total < 0) throw badPolicy('line.total', l.total);
		return l.total;
	});
	const orderTotal = totals.reduce((s, t) => s + t, 0);
	const excludedKinds = new Set<TenderKind>([
		...(input.rules.excludeStoredValue ? (['storedValue'] as const) : []),
		...(input.rules.excludePoints ? (['points'] as const) : [])
	]);
	const excludedPaid = input.tenders.reduce((s, t) => (excludedKinds.has(t.kind) ? s + t.amount : s), 0);
	// Non-cash tenders never exceed the total (tender.settle), but a stale cart must not make a basis negative.
	const excluded = fen(Math.min(Math.max(excludedPaid, 0), orderTotal));
	const shares = allocateByLineId(excluded, input.lines, totals);
	const lines = input.lines.map((l, i) => ({
		lineId: l.lineId,
		basis: fen(l.total - shares[i]!),
		multiplierBp: lineMultiplier(l, input)
	}));
	const weights = lines.map((l) => BigInt(l.basis) * BigInt(l.multiplierBp));
	const weighted = weights.reduce((s, w) => s + w, 0n);
	const points = Number(floorDiv(weighted * BigInt(rate.points), BigInt(rate.perFen) * BigInt(FULL)));
	const perLine = allocateByLineId(fen(points), lines, weights.map(Number));
	return { points, lines: lines.map((l, i) => ({ ...l, points: perLine[i]! })) };
}

/** When points earned at `earnedAt` expire (see expiryAfter); undefined when the policy is null (never). */
export function pointsExpiry(
	earnedAt: number,
	policy: ExpiryPolicy | null,
	utcOffsetMinutes: number
): number | undefined {
	return expiryAfter(earnedAt, policy, utcOffsetMinutes);
}

/** Points for behaviour; birthday comes from the member's level (LevelRule.birthdayBonusPoints). */
export interface BehaviourRules {
	enrolment: number;
	profileCompleted: number;
	birthday: number;
	/** Birthday award on the day itself or at any time in the birthday month (生日当月). */
	birthdayWindow: 'day' | 'month';
}

/** Whether `now` falls in the member's birthday window; 29 Feb birthdays are 28 Feb in other years. */
export function inBirthdayWindow(
	birthday: string,
	now: number,
	window: 'day' | 'month',
	utcOffsetMinutes: number
): boolean {
	const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(birthday);
	if (!match) return false;
	const month = Number(match[1]);
	let day = Number(match[2]);
	const today = localDate(now, utcOffsetMinutes);
	if (month !== today.month) return false;
	if (window === 'month') return true;
	const leap = (today.year % 4 === 0 && today.year % 100 !== 0) || today.year % 400 === 0;
	if (month === 2 && day === 29 && !leap) day = 28;
	return day === today.day;
}

/**
 * The award for a behaviour event, or null when there is none: zero points configured, already awarded (the
 * deterministic entry id is in `entries`), or not the birthday window. Birthday is once per local calendar year.
 */
export function behaviourAward(input: {
	event: BehaviourEvent;
	memberId: string;
	entries: readonly LedgerEntry[];
	rules: BehaviourRules;
	now: number;
	utcOffsetMinutes: number;
	birthday?: string;
}): { entryId: string; points: number; year?: number } | null {
	const points = input.rules[input.event];
	assertCount(input.event, points, 0);
	if (points === 0) return null;
	let year: number | undefined;
	if (input.event === 'birthday') {
		const window = input.rules.birthdayWindow;
		if (!inBirthdayWindow(input.birthday ?? '', input.now, window, input.utcOffsetMinutes)) return null;
		year = localDate(input.now, input.utcOffsetMinutes).year;
	}
	const entryId = behaviourEntryId(input.memberId, input.event, year);
	if (input.entries.some((e) => e.id === entryId)) return null;
	return year === undefined ? { entryId, points } : { entryId, points, year };
}

/** Points as money: `points` points are worth `fen` fen ({points: 100, fen: 100} is 100 points = ¥1). */
export interface PointsRate {
	points: number;
	fen: number;
}

/** How points may pay for a sale. */
export interface PointsTenderPolicy {
	rate: PointsRate;
	/** At most this share of the order total may be paid with points (5000 = half). */
	maxShareBp: BasisPoints;
	/** Points are used in multiples of this (e.g. 100); default 1. */
	step?: number;
}

function checkRate(rate: PointsRate): void {
	assertCount('rate.points', rate.points, 1);
	assertCount('rate.fen', rate.fen, 1);
}

/** What `points` are worth, floored: the member never gets more than the rate says. */
export function pointsTenderValue(points: number, rate: PointsRate): Fen {
	checkRate(rate);
	assertCount('points', points, 0);
	return fen(Number(floorDiv(BigInt(points) * BigInt(rate.fen), BigInt(rate.points))));
}

/** The fewest points worth at least `amount` (ceiling). */
export function pointsNeededFor(amount: Fen, rate: PointsRate): number {
	checkRate(rate);
	assertCount('amount', amount, 0);
	return Number(ceilDiv(BigInt(amount) * BigInt(rate.points), BigInt(rate.fen)));
}

/**
 * The most points a sale can take and their value: the value never exceeds maxShare of `total` (floored) nor
 * `due` (a non-cash tender may not overpay), the points never exceed `balance`, are a multiple of `step`, and are
 * the fewest that reach that value (no point is wasted on a fen that cannot be paid).
 */
export function maxPointsForSale(
	total: Fen,
	balance: number,
	policy: PointsTenderPolicy,
	due: Fen = total
): { points: number; value: Fen } {
	checkRate(policy.rate);
	assertCount('maxShareBp', policy.maxShareBp, 0);
	if (policy.maxShareBp > FULL) throw badPolicy('maxShareBp', policy.maxShareBp);
	const step = policy.step ?? 1;
	assertCount('step', step, 1);
	assertCount('total', total, 0);
	const usableBalance = Math.max(0, Number.isSafeInteger(balance) ? balance : 0);
	const shareCap = Number(floorDiv(BigInt(total) * BigInt(policy.maxShareBp), BigInt(FULL)));
	const units = Math.floor(usableBalance / step);
	const cap = BigInt(Math.max(0, Math.min(shareCap, due, pointsTenderValue(units * step, policy.rate))));
	const p = BigInt(policy.rate.points);
	const unitFen = BigInt(step) * BigInt(policy.rate.fen);
	// Largest n with floor(n*unitFen/p) <= cap is ceil((cap+1)p/unitFen) - 1; then the fewest units for that value.
	const most = ceilDiv((cap + 1n) * p, unitFen) - 1n;
	const value = floorDiv(most * unitFen, p);
	const fewest = ceilDiv(value * p, unitFen);
	const points = Number(fewest) * step;
	return { points, value: fen(Number(value)) };
}

/**
 * Checks points the cashier asked to use and returns their value. Throws points.insufficient (more than the
 * balance), points.overLimit (more than maxPointsForSale allows, or not a multiple of step).
 */
export function checkPointsTender(
	points: number,
	total: Fen,
	balance: number,
	policy: PointsTenderPolicy,
	due: Fen = total
): Fen {
	if (!Number.isSafeInteger(points) || points <= 0)
		throw new DomainError('tender.badAmount', { kind: 'points', value: String(points) });
	if (points > balance) throw new DomainError('points.insufficient', { balance, required: points });
	const max = maxPointsForSale(total, balance, policy, due);
	if (points > max.points || points % (policy.step ?? 1) !== 0)
		throw new DomainError('points.overLimit', { max: max.points, maxValue: toDecimalString(max.value) });
	return pointsTenderValue(points, policy.rate);
}
