/**
 * Turns a member's active benefits into what the pricing engine and points earning take: synthetic promotions,
 * the level id for level prices, and a points multiplier.
 *
 * Stacking policy (docs/decisions: members):
 * - Level discount and paid-plan discount never both apply: the larger percentage wins as ONE promotion,
 *   `member:level:<levelId>` or `member:plan:<planId>` (a tie goes to the level, so reports credit the paid plan
 *   only with what it really added). It is `stackable` at priority 900, after the store's own promotions (which
 *   use priorities below 900): it applies to what they left, and a store promotion marked `exclusive` keeps the
 *   member discount off its lines (the engine's exclusive rule) — that is how a chain says 会员折扣与活动不同享.
 * - The first-purchase reward `member:first` is stackable at priority 910, after the member discount, so a
 *   满减 threshold is checked against what the customer pays after it.
 * - All three are members-only. The plan promotion also carries the subscription's [startsAt, endsAt) window.
 * - Level prices (catalog levelPrices) are a separate benefit chosen by the engine from `memberLevelId`; a chain
 *   should use either level prices or a level discount %. With both, the engine's policy
 *   `promotionsStackWithLevelPrice: false` keeps the member discount off level-priced lines.
 * - Points earn at the larger of the level's and the plan's multiplier (10000 = 1x).
 */
import { DomainError } from '../errors';
import type { LevelId } from '../catalog';
import type { BasisPoints, Fen } from '../money';
import type { Promotion, PromotionScope } from '../pricing/types';
import { levelBenefits } from './levels';
import { assertPlanInEffect, validatePlan } from './plans';
import { isBirthdayThisMonth, isBirthdayToday } from './profile';
import { CHINA_UTC_OFFSET_MINUTES } from './dates';
import type { LevelRule, MemberProfile, PaidPlan, PlanSubscription } from './types';

export const MEMBER_DISCOUNT_PRIORITY = 900;
export const FIRST_PURCHASE_PRIORITY = 910;
export const FIRST_PURCHASE_PROMOTION_ID = 'member:first';

/** The welcome reward on a member's first purchase, as the chain configures it. */
export type FirstPurchaseReward = { name: string } & (
	{ kind: 'spendSave'; threshold: Fen; save: Fen } | { kind: 'percentOff'; bp: BasisPoints }
);

export interface ActivePlan {
	plan: PaidPlan;
	subscription: PlanSubscription;
}

export interface MemberBenefitsInput {
	/**
	 * The member's current level. Required: the engine applies members-only promotions only when
	 * PricingContext.memberLevelId is set (a level missing from the rules is fixed by evaluateLevel first).
	 */
	levelRule: LevelRule;
	/** The subscription in effect now (plans.activePlan) and its plan. */
	activePlan?: ActivePlan;
	/** True when the member has no earlier sale (the caller knows their history). */
	isFirstPurchase: boolean;
	firstPurchaseReward?: FirstPurchaseReward;
	now: number;
	/** Where the member discount applies (default: everything), e.g. to exclude gift cards. */
	discountScope?: PromotionScope;
}

export interface MemberPricingBenefits {
	/** For PricingContext.memberLevelId: level prices, and members-only promotions need it. */
	memberLevelId: LevelId;
	/** Add to the store's promotions before pricing. */
	promotions: Promotion[];
	/** Which benefit gave the member discount. */
	discountSource: 'level' | 'plan' | 'none';
	/** For points earning: 10000 = 1x. */
	pointsMultiplierBp: BasisPoints;
}

function synthetic(
	id: string,
	name: string,
	priority: number,
	rule: Promotion['rule'],
	scope: PromotionScope = {}
): Promotion {
	return { id, name, priority, stacking: 'stackable', scope, rule, membersOnly: true, active: true };
}

function firstPurchasePromotion(reward: FirstPurchaseReward): Promotion {
	const fail = (field: string) =>
		new DomainError('promotion.invalid', { promotionId: FIRST_PURCHASE_PROMOTION_ID, field });
	const isInt = (n: unknown, min: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
	if (reward.kind === 'spendSave') {
		if (!isInt(reward.threshold, 1)) throw fail('threshold');
		if (!isInt(reward.save, 1) || reward.save > reward.threshold) throw fail('save');
		const rule = {
			kind: 'spendSave',
			threshold: reward.threshold,
			save: reward.save,
			repeat: false
		} as const;
		return synthetic(FIRST_PURCHASE_PROMOTION_ID, reward.name, FIRST_PURCHASE_PRIORITY, rule);
	}
	if (reward.kind === 'percentOff') {
		if (!isInt(reward.bp, 1) || reward.bp > 10000) throw fail('bp');
		const rule = { kind: 'percentOff', bp: reward.bp } as const;
		return synthetic(FIRST_PURCHASE_PROMOTION_ID, reward.name, FIRST_PURCHASE_PRIORITY, rule);
	}
	throw fail('kind');
}

/**
 * The member's pricing benefits now. Throws level.invalid / plan.invalid for malformed configuration,
 * plan.notStarted / plan.expired when `activePlan` is not in effect at `now`, promotion.invalid for a malformed
 * first-purchase reward. See the module comment for the stacking policy.
 */
export function memberPricingBenefits(input: MemberBenefitsInput): MemberPricingBenefits {
	const level = levelBenefits(input.levelRule);
	const active = input.activePlan;
	if (active) {
		validatePlan(active.plan);
		assertPlanInEffect(active.plan, active.subscription, input.now);
	}
	const promotions: Promotion[] = [];
	const levelBp = level.discountBp;
	const planBp = active?.plan.discountBp ?? 0;
	let discountSource: MemberPricingBenefits['discountSource'] = 'none';
	if (active && planBp > levelBp) {
		discountSource = 'plan';
		const promotion = synthetic(
			`member:plan:${active.plan.id}`,
			active.plan.name,
			MEMBER_DISCOUNT_PRIORITY,
			{ kind: 'percentOff', bp: planBp },
			input.discountScope
		);
		promotion.startsAt = active.subscription.startsAt;
		promotion.endsAt = active.subscription.endsAt;
		promotions.push(promotion);
	} else if (levelBp > 0) {
		discountSource = 'level';
		promotions.push(
			synthetic(
				`member:level:${input.levelRule.id}`,
				input.levelRule.name,
				MEMBER_DISCOUNT_PRIORITY,
				{ kind: 'percentOff', bp: levelBp },
				input.discountScope
			)
		);
	}
	if (input.isFirstPurchase && input.firstPurchaseReward)
		promotions.push(firstPurchasePromotion(input.firstPurchaseReward));

	return {
		memberLevelId: input.levelRule.id,
		promotions,
		discountSource,
		pointsMultiplierBp: Math.max(level.pointsMultiplierBp, active?.plan.pointsMultiplierBp ?? 0)
	};
}

export type BirthdayStatus = 'today' | 'thisMonth' | 'none';

/** For the birthday badge at the till: today, this month (not today) or none. Anonymized members have none. */
export function birthdayStatus(
	profile: MemberProfile,
	now: number,
	utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES
): BirthdayStatus {
	if (isBirthdayToday(profile, now, utcOffsetMinutes)) return 'today';
	if (isBirthdayThisMonth(profile, now, utcOffsetMinutes)) return 'thisMonth';
	return 'none';
}
