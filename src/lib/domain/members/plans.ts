/**
 * Paid membership plans (付费会员): calendar periods, renewals and which subscription is in effect.
 *
 * Periods are calendar months in the chain's time zone (monthly 1, quarterly 3, annual 12), keeping the time of
 * day; a start on the 29th-31st ends on the last day of a shorter month (Jan 31 + 1 month = Feb 28/29).
 *
 * Renewal extends: a plan bought while another is in effect starts when the member's current run of back-to-back
 * subscriptions ends, and keeps the run's original day of month so renewals do not drift (Jan 31 -> Feb 28 ->
 * Mar 31). Two tills may sell a renewal for the same member while offline; both then start at the same moment.
 * `effectiveSubscriptions` lays such overlaps end to end (ordered by start, createdAt, id), so after replication
 * every device agrees and the member gets every period they paid for.
 */
import { DomainError } from '../errors';
import type { PlanPeriod, PaidPlan, PlanSubscription, MemberId } from './types';
import { CHINA_UTC_OFFSET_MINUTES, DAY_MS, addMonthsLocal, checkInstant, localDate } from './dates';

export const PLAN_MONTHS: Readonly<Record<PlanPeriod, number>> = { monthly: 1, quarterly: 3, annual: 12 };

function isNonNegativeInt(n: unknown): n is number {
	return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function planProblem(plan: PaidPlan): string | undefined {
	if (typeof plan.id !== 'string' || plan.id === '') return 'id';
	if (!Object.hasOwn(PLAN_MONTHS, plan.period)) return 'period';
	if (!isNonNegativeInt(plan.price)) return 'price';
	if (!isNonNegativeInt(plan.discountBp) || plan.discountBp > 10000) return 'discountBp';
	if (!isNonNegativeInt(plan.pointsMultiplierBp) || plan.pointsMultiplierBp > 100_000)
		return 'pointsMultiplierBp';
	if (typeof plan.active !== 'boolean') return 'active';
	return undefined;
}

/** Throws plan.invalid {planId, field} for a malformed plan. */
export function validatePlan(plan: PaidPlan): void {
	const field = planProblem(plan);
	if (field) throw new DomainError('plan.invalid', { planId: String(plan.id), field });
}

/**
 * When a subscription that starts at `startsAt` ends (exclusive). `dayOfMonth` pins the end's day of month (the
 * day a run of renewals started on); by default it is the start's own day.
 */
export function planEnd(
	startsAt: number,
	period: PlanPeriod,
	utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES,
	dayOfMonth?: number
): number {
	checkInstant(startsAt, 'startsAt');
	const months = PLAN_MONTHS[period];
	if (months === undefined) throw new DomainError('plan.invalid', { planId: '', field: 'period' });
	return addMonthsLocal(startsAt, months, utcOffsetMinutes, dayOfMonth);
}

function bySchedule(a: PlanSubscription, b: PlanSubscription): number {
	if (a.startsAt !== b.startsAt) return a.startsAt - b.startsAt;
	if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Subscriptions as they take effect: per member, ordered by start (then createdAt, then id), each one that
 * begins before the previous one ends is moved to start at that end, keeping its length. Non-overlapping
 * subscriptions come back unchanged. Sorted by member, then start.
 */
export function effectiveSubscriptions(subscriptions: readonly PlanSubscription[]): PlanSubscription[] {
	const byMember = groupByMember(subscriptions);
	const out: PlanSubscription[] = [];
	for (const memberId of [...byMember.keys()].sort()) {
		let previousEnd = Number.NEGATIVE_INFINITY;
		for (const s of (byMember.get(memberId) as PlanSubscription[]).sort(bySchedule)) {
			const shifted =
				s.startsAt >= previousEnd
					? s
					: { ...s, startsAt: previousEnd, endsAt: previousEnd + (s.endsAt - s.startsAt) };
			out.push(shifted);
			previousEnd = Math.max(previousEnd, shifted.endsAt);
		}
	}
	return out;
}

function groupByMember(subscriptions: readonly PlanSubscription[]): Map<MemberId, PlanSubscription[]> {
	const byMember = new Map<MemberId, PlanSubscription[]>();
	for (const s of subscriptions) {
		const list = byMember.get(s.memberId);
		if (list) list.push(s);
		else byMember.set(s.memberId, [s]);
	}
	return byMember;
}

/** In one member's effective subscriptions: the run of back-to-back ones in effect at `now` (empty if none). */
function runAt(effective: readonly PlanSubscription[], now: number): PlanSubscription[] {
	const start = effective.findIndex((s) => s.startsAt <= now && now < s.endsAt);
	if (start < 0) return [];
	const run = [effective[start] as PlanSubscription];
	for (const s of effective.slice(start + 1)) {
		if (s.startsAt !== (run[run.length - 1] as PlanSubscription).endsAt) break;
		run.push(s);
	}
	return run;
}

function currentRun(subscriptions: readonly PlanSubscription[], memberId: MemberId, now: number) {
	return runAt(effectiveSubscriptions(subscriptions.filter((s) => s.memberId === memberId)), now);
}

export interface SubscribeOptions {
	id: string;
	saleId: string;
	utcOffsetMinutes?: number;
}

/**
 * A new subscription to `plan` bought at `now`: it starts now, or when the member's current run of subscriptions
 * ends (renewal extends, whatever plan the run is on). Throws plan.inactive for a plan no longer sold and
 * plan.invalid for a malformed one. `existing` may hold other members' subscriptions; they are ignored.
 */
export function subscribe(
	plan: PaidPlan,
	memberId: MemberId,
	now: number,
	existing: readonly PlanSubscription[],
	options: SubscribeOptions
): PlanSubscription {
	validatePlan(plan);
	checkInstant(now, 'now');
	if (!plan.active) throw new DomainError('plan.inactive', { planId: plan.id, name: plan.name });
	const offset = options.utcOffsetMinutes ?? CHINA_UTC_OFFSET_MINUTES;
	const run = currentRun(existing, memberId, now);
	const first = run[0];
	const last = run[run.length - 1];
	const startsAt = last ? last.endsAt : now;
	const anchorDay = first ? localDate(first.startsAt, offset).day : undefined;
	return {
		id: options.id,
		memberId,
		planId: plan.id,
		startsAt,
		endsAt: planEnd(startsAt, plan.period, offset, anchorDay),
		saleId: options.saleId,
		createdAt: now
	};
}

/**
 * The subscription in effect at `now` (start inclusive, end exclusive) after overlaps are resolved, or undefined.
 * Pass one member's subscriptions.
 */
export function activePlan(
	subscriptions: readonly PlanSubscription[],
	now: number
): PlanSubscription | undefined {
	return effectiveSubscriptions(subscriptions).find((s) => s.startsAt <= now && now < s.endsAt);
}

/** When the member's paid membership runs out, counting renewals already bought; undefined when none is active. */
export function paidUntil(
	subscriptions: readonly PlanSubscription[],
	memberId: MemberId,
	now: number
): number | undefined {
	const run = currentRun(subscriptions, memberId, now);
	return run[run.length - 1]?.endsAt;
}

/**
 * For renewal reminders: per member, the last subscription of the run in effect at `now` when that run ends
 * within `withinDays` days. A member who already renewed beyond the window is not listed. Sorted by end, then
 * member id. Accepts many members' subscriptions.
 */
export function expiringSoon(
	subscriptions: readonly PlanSubscription[],
	now: number,
	withinDays: number
): PlanSubscription[] {
	checkInstant(now, 'now');
	if (!isNonNegativeInt(withinDays))
		throw new DomainError('plan.invalid', { planId: '', field: 'withinDays' });
	const out: PlanSubscription[] = [];
	for (const mine of groupByMember(subscriptions).values()) {
		const run = runAt(effectiveSubscriptions(mine), now);
		const last = run[run.length - 1];
		if (last && last.endsAt - now <= withinDays * DAY_MS) out.push(last);
	}
	return out.sort((a, b) => a.endsAt - b.endsAt || (a.memberId < b.memberId ? -1 : 1));
}

/**
 * Throws plan.notStarted / plan.expired unless `subscription` is in effect at `now`, so stale data never gives a
 * plan discount outside its period (and never hides the level discount behind an expired plan).
 */
export function assertPlanInEffect(plan: PaidPlan, subscription: PlanSubscription, now: number): void {
	checkInstant(now, 'now');
	if (subscription.planId !== plan.id)
		throw new DomainError('plan.invalid', { planId: plan.id, field: 'planId' });
	if (now < subscription.startsAt)
		throw new DomainError('plan.notStarted', { planId: plan.id, name: plan.name });
	if (now >= subscription.endsAt) throw new DomainError('plan.expired', { planId: plan.id, name: plan.name });
}
