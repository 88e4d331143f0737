/**
 * Member levels: which level a member's spend or points earn, and when a level changes.
 *
 * - The qualified level is the highest-ranked rule whose threshold the member meets within the rolling window
 *   (spend in fen or points earned, per rule). The lowest-ranked rule is the entry level (threshold 0), so every
 *   member qualifies for at least it.
 * - Upgrades are immediate: at the sale that crosses a threshold ('atSale', which never downgrades) and at the
 *   scheduled evaluation (which also catches upgrades a sale did not trigger, e.g. points from activities).
 * - Downgrades happen only in the scheduled evaluation, once the grace period since `levelSince` has passed, and
 *   go straight to the qualified level (possibly several steps, never below the entry level).
 * - A member whose level no longer exists in the rules is moved to the qualified level in either mode.
 */
import { DomainError } from '../errors';
import type { LevelId } from '../catalog';
import { add, ZERO, type BasisPoints, type Fen } from '../money';
import { DAY_MS, checkInstant } from './dates';
import type { LevelPolicy, LevelRule, MemberId } from './types';

const MAX_BP = 10000;
/** Points multipliers above 10x are a typing mistake (10000 = 1x). */
const MAX_MULTIPLIER_BP = 100_000;

function isNonNegativeInt(n: unknown): n is number {
	return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function ruleProblem(rule: LevelRule): string | undefined {
	if (typeof rule.id !== 'string' || rule.id === '') return 'id';
	if (!Number.isSafeInteger(rule.rank)) return 'rank';
	if (rule.qualifyBy !== 'spend' && rule.qualifyBy !== 'points') return 'qualifyBy';
	if (!isNonNegativeInt(rule.threshold)) return 'threshold';
	if (!isNonNegativeInt(rule.discountBp) || rule.discountBp > MAX_BP) return 'discountBp';
	if (!isNonNegativeInt(rule.pointsMultiplierBp) || rule.pointsMultiplierBp > MAX_MULTIPLIER_BP)
		return 'pointsMultiplierBp';
	if (!isNonNegativeInt(rule.birthdayBonusPoints)) return 'birthdayBonusPoints';
	if (!Array.isArray(rule.perks)) return 'perks';
	return undefined;
}

/** Rules from the lowest rank to the highest (a copy). */
export function sortLevels(rules: readonly LevelRule[]): LevelRule[] {
	return [...rules].sort((a, b) => a.rank - b.rank);
}

/**
 * Throws level.invalid {levelId, field} for a malformed rule set: no rules, a bad field, a duplicate id or rank,
 * an entry level with a threshold, or a higher rank that is easier to reach than a lower one of the same kind.
 */
export function validateLevelRules(rules: readonly LevelRule[]): void {
	const fail = (levelId: string, field: string) => new DomainError('level.invalid', { levelId, field });
	if (rules.length === 0) throw fail('', 'rules');
	const ids = new Set<string>();
	const ranks = new Set<number>();
	for (const rule of rules) {
		const field = ruleProblem(rule);
		if (field) throw fail(String(rule.id), field);
		if (ids.has(rule.id)) throw fail(rule.id, 'duplicateId');
		if (ranks.has(rule.rank)) throw fail(rule.id, 'rank');
		ids.add(rule.id);
		ranks.add(rule.rank);
	}
	const sorted = sortLevels(rules);
	const entry = sorted[0] as LevelRule;
	if (entry.threshold !== 0) throw fail(entry.id, 'threshold');
	const last: Partial<Record<LevelRule['qualifyBy'], number>> = {};
	for (const rule of sorted.slice(1)) {
		const previous = last[rule.qualifyBy];
		if (rule.threshold === 0 || (previous !== undefined && rule.threshold <= previous))
			throw fail(rule.id, 'threshold');
		last[rule.qualifyBy] = rule.threshold;
	}
}

/** Throws level.invalid {field} for a window that is not a positive whole number of days or a negative grace. */
export function validateLevelPolicy(policy: LevelPolicy): void {
	if (!Number.isSafeInteger(policy.windowDays) || policy.windowDays < 1)
		throw new DomainError('level.invalid', { levelId: '', field: 'windowDays' });
	if (!isNonNegativeInt(policy.graceDays))
		throw new DomainError('level.invalid', { levelId: '', field: 'graceDays' });
}

/** The lowest-ranked level: where new members start and the floor of any downgrade. */
export function entryLevel(rules: readonly LevelRule[]): LevelRule {
	validateLevelRules(rules);
	return sortLevels(rules)[0] as LevelRule;
}

/** The highest-ranked level the member's window spend or points meet. */
export function qualifiedLevel(rules: readonly LevelRule[], spend: Fen, points: number): LevelRule {
	validateLevelRules(rules);
	let best = sortLevels(rules)[0] as LevelRule;
	for (const rule of rules) {
		const value = rule.qualifyBy === 'spend' ? spend : points;
		if (value >= rule.threshold && rule.rank > best.rank) best = rule;
	}
	return best;
}

export type LevelEvaluationMode = 'atSale' | 'scheduled';

export interface LevelEvaluationInput {
	rules: readonly LevelRule[];
	policy: LevelPolicy;
	current: { levelId: LevelId; levelSince: number };
	/** Net spend in the window, including the sale being evaluated (returns count negatively). */
	spendInWindow: Fen;
	/** Points earned in the window (not the balance: spending points never costs a level). */
	pointsInWindow: number;
	now: number;
	mode: LevelEvaluationMode;
}

export interface LevelEvaluation {
	levelId: LevelId;
	changed: boolean;
	direction: 'up' | 'down' | 'none';
	/** `now` when the level changed, else the current levelSince: store it with the level. */
	levelSince: number;
}

/** Decides the member's level now. See the module comment for the rules. Throws level.invalid on bad config. */
export function evaluateLevel(input: LevelEvaluationInput): LevelEvaluation {
	const { rules, policy, current, now, mode } = input;
	validateLevelPolicy(policy);
	checkInstant(now, 'now');
	if (!Number.isSafeInteger(input.spendInWindow) || !Number.isSafeInteger(input.pointsInWindow))
		throw new DomainError('level.invalid', { levelId: current.levelId, field: 'window' });
	const qualified = qualifiedLevel(rules, input.spendInWindow, input.pointsInWindow);
	const currentRule = rules.find((r) => r.id === current.levelId);
	const keep: LevelEvaluation = {
		levelId: current.levelId,
		changed: false,
		direction: 'none',
		levelSince: current.levelSince
	};
	const move = (direction: 'up' | 'down'): LevelEvaluation => ({
		levelId: qualified.id,
		changed: true,
		direction,
		levelSince: now
	});
	if (!currentRule || qualified.rank > currentRule.rank) return move('up');
	if (qualified.rank === currentRule.rank || mode === 'atSale') return keep;
	const graceEnds = current.levelSince + policy.graceDays * DAY_MS;
	return now >= graceEnds ? move('down') : keep;
}

/** Start (inclusive) of a rolling window of `days` days ending now. */
export function windowStart(now: number, days: number): number {
	checkInstant(now, 'now');
	if (!Number.isSafeInteger(days) || days < 0)
		throw new DomainError('level.invalid', { levelId: '', field: 'windowDays' });
	return now - days * DAY_MS;
}

/** What spendInWindow reads from a sale or a return (a return has a negative total). */
export interface SpendRecord {
	memberId?: MemberId;
	createdAt: number;
	total: Fen;
}

/**
 * A member's net spend from `from` (inclusive) up to `until` (exclusive, default: no end). Returns subtract
 * through their negative totals; the result is never below zero (a return of a sale bought before the window
 * must not push a member below someone who never shopped).
 */
export function spendInWindow(
	sales: Iterable<SpendRecord>,
	memberId: MemberId,
	from: number,
	until = Number.POSITIVE_INFINITY
): Fen {
	let total = ZERO;
	for (const sale of sales) {
		if (sale.memberId !== memberId || sale.createdAt < from || sale.createdAt >= until) continue;
		total = add(total, sale.total);
	}
	return total < 0 ? ZERO : total;
}

export interface LevelBenefits {
	discountBp: BasisPoints;
	pointsMultiplierBp: BasisPoints;
	birthdayBonusPoints: number;
	perks: string[];
}

/** The benefits a level gives, for display and for benefits.ts. */
export function levelBenefits(rule: LevelRule): LevelBenefits {
	const field = ruleProblem(rule);
	if (field) throw new DomainError('level.invalid', { levelId: String(rule.id), field });
	return {
		discountBp: rule.discountBp,
		pointsMultiplierBp: rule.pointsMultiplierBp,
		birthdayBonusPoints: rule.birthdayBonusPoints,
		perks: [...rule.perks]
	};
}
