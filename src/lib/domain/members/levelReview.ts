/**
 * The scheduled level review (定期评估): once a day each till re-evaluates the members of its own branch whose level
 * could change without a sale — a higher level whose grace period has run out (downgrade), or points earned
 * elsewhere (upgrade). The outcome is written with a deterministic change id per member and day, so two tills that
 * both review a member write the same record instead of two.
 */
import { evaluateLevel, spendInWindow, windowStart, type SpendRecord } from './levels';
import { formatIsoDate, localDate } from './dates';
import type { LevelPolicy, LevelRule, MemberProfile, ProfileChange } from './types';
import { add, ZERO, type Fen } from '../money';
import type { LedgerEntry } from '../ledger/types';

export const LEVEL_REVIEW_STAFF = 'system:level-review';

const DAY_MS = 86_400_000;

/** Whether a scheduled review could move this member: it holds a level above the entry one past its grace. */
export function dueForReview(
	member: Pick<MemberProfile, 'levelId' | 'levelSince' | 'anonymizedAt'>,
	rules: readonly LevelRule[],
	policy: LevelPolicy,
	now: number
): boolean {
	if (member.anonymizedAt !== undefined) return false;
	const rule = rules.find((r) => r.id === member.levelId);
	const lowest = Math.min(...rules.map((r) => r.rank));
	if (!rule) return true; // a level that no longer exists is fixed by the review
	return rule.rank > lowest && now >= member.levelSince + policy.graceDays * DAY_MS;
}

/**
 * A member's net spend from `from` (inclusive) to `until` (exclusive) across the chain: the sales this till holds
 * and the `purchase` entries every branch writes to the member's ledger (refs[0] is the sale id), each sale counted
 * once. Sales of other branches reach a till only as purchases; sales from before purchases existed (imports, the
 * demo history) only as sales. Never below zero.
 */
export function chainSpend(
	sales: Iterable<SpendRecord & { id: string }>,
	purchases: Iterable<Pick<LedgerEntry, 'account' | 'kind' | 'amount' | 'createdAt' | 'refs'>>,
	memberId: string,
	from: number,
	until = Number.POSITIVE_INFINITY
): Fen {
	const seen = new Set<string>();
	const mine: SpendRecord[] = [];
	for (const sale of sales) {
		if (sale.memberId !== memberId) continue;
		seen.add(sale.id);
		mine.push(sale);
	}
	let total = spendInWindow(mine, memberId, from, until);
	for (const p of purchases) {
		if (p.account !== 'spend' || p.kind !== 'purchase' || seen.has(p.refs[0] ?? '')) continue;
		if (p.createdAt >= from && p.createdAt < until) total = add(total, p.amount as Fen);
	}
	return total < 0 ? ZERO : total;
}

export interface ReviewInput {
	member: MemberProfile;
	rules: readonly LevelRule[];
	policy: LevelPolicy;
	/** The member's sales and returns this till holds (any period; the window is applied here). */
	sales: Iterable<SpendRecord & { id: string }>;
	/** The member's spend-account entries (purchases at any branch). */
	purchases: Iterable<Pick<LedgerEntry, 'account' | 'kind' | 'amount' | 'createdAt' | 'refs'>>;
	/** Points earned, with when (earn entries only: spending points never costs a level). */
	earned: Iterable<{ amount: number; createdAt: number }>;
	now: number;
	utcOffsetMinutes: number;
}

export interface ReviewOutcome {
	member: MemberProfile;
	change: ProfileChange;
	direction: 'up' | 'down';
}

/** The member after a scheduled review, or null when the level stays. */
export function reviewLevel(input: ReviewInput): ReviewOutcome | null {
	const { member, rules, policy, now } = input;
	const from = windowStart(now, policy.windowDays);
	let points = 0;
	for (const e of input.earned) if (e.createdAt >= from && e.createdAt <= now) points += e.amount;
	const evaluation = evaluateLevel({
		rules,
		policy,
		current: { levelId: member.levelId, levelSince: member.levelSince },
		spendInWindow: chainSpend(input.sales, input.purchases, member.id, from, now + 1),
		pointsInWindow: points,
		now,
		mode: 'scheduled'
	});
	if (!evaluation.changed || evaluation.direction === 'none') return null;
	const day = formatIsoDate(localDate(now, input.utcOffsetMinutes));
	return {
		member: { ...member, levelId: evaluation.levelId, levelSince: now, updatedAt: now },
		change: {
			id: `level-review:${member.id}:${day}`,
			memberId: member.id,
			field: 'levelId',
			from: member.levelId,
			to: evaluation.levelId,
			staffId: LEVEL_REVIEW_STAFF,
			at: now
		},
		direction: evaluation.direction
	};
}
