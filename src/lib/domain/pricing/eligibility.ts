/** Which promotions are live for a sale, and which lines each one may touch. */
import type { Fen } from '../money';
import type { PricingContext, PricingLine, PricingPolicy, Promotion, PromotionScope } from './types';

/** Code-unit string order: locale-independent, so every till sorts ids the same way. */
export function compareIds(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Live = active, inside [startsAt, endsAt) and, when members-only, with a member attached. */
export function isPromotionLive(p: Promotion, ctx: PricingContext): boolean {
	if (!p.active) return false;
	if (p.startsAt !== undefined && ctx.now < p.startsAt) return false;
	if (p.endsAt !== undefined && ctx.now >= p.endsAt) return false;
	if (p.membersOnly === true && ctx.memberLevelId === undefined) return false;
	return true;
}

/** Live promotions in evaluation order: priority ascending, then id. */
export function livePromotionsInOrder(promotions: readonly Promotion[], ctx: PricingContext): Promotion[] {
	return promotions
		.filter((p) => isPromotionLive(p, ctx))
		.sort((a, b) => a.priority - b.priority || compareIds(a.id, b.id));
}

/** Whether a line falls inside a promotion's scope (includes, new-arrival filter and exclusions). */
export function inScope(line: PricingLine, scope: PromotionScope): boolean {
	if (scope.categoryIds && scope.categoryIds.length > 0 && !scope.categoryIds.includes(line.categoryId))
		return false;
	if (scope.styleIds && scope.styleIds.length > 0 && !scope.styleIds.includes(line.styleId)) return false;
	if (scope.newArrivalsOnly === true && !line.isNewArrival) return false;
	if (scope.excludeCategoryIds?.includes(line.categoryId)) return false;
	if (scope.excludeSkuIds?.includes(line.skuId)) return false;
	return true;
}

/** What the engine tracks about a line while promotions are evaluated. */
export interface LineState {
	line: PricingLine;
	levelPriced: boolean;
	/** Current total after everything applied so far. */
	running: Fen;
	/** Touched by any earlier promotion. */
	promoted: boolean;
	/** Touched by an earlier exclusive promotion: closed to all later ones. */
	closed: boolean;
}

/** Whether promotion `p` may consider this line, given scope, level-price policy and stacking so far. */
export function isLineEligible(state: LineState, p: Promotion, policy: PricingPolicy): boolean {
	if (state.running <= 0) return false;
	if (state.closed) return false;
	if (p.stacking === 'exclusive' && state.promoted) return false;
	if (state.levelPriced && !policy.promotionsStackWithLevelPrice) return false;
	return inScope(state.line, p.scope);
}
