/**
 * Pricing contract: what the till feeds the engine and what it gets back. The engine is a pure function:
 * same cart + promotions + context -> same priced cart, whatever order lines were scanned in.
 */
import type { BasisPoints, Fen, RoundingMode } from '../money';
import type { CategoryId, LevelId, SkuId, StyleId } from '../catalog';

export type ManualDiscount = { kind: 'percent'; bp: BasisPoints } | { kind: 'amount'; amount: Fen };

/** One cart line as the engine sees it (resolved from the catalog by the caller). */
export interface PricingLine {
	lineId: string;
	skuId: SkuId;
	styleId: StyleId;
	categoryId: CategoryId;
	isNewArrival: boolean;
	/** Positive integer. */
	qty: number;
	/** Retail (list) unit price, tax-inclusive. */
	unitPrice: Fen;
	/** Member-level prices of this SKU by level id (from the style). */
	levelPrices: Record<LevelId, Fen>;
	/** Price override approved for this line (replaces the unit price, before promotions). */
	priceOverride?: Fen;
	/** Manual line discount, applied after level price/override, before promotions. */
	manualDiscount?: ManualDiscount;
}

export interface PromotionScope {
	/** Only these categories (empty/undefined = all). */
	categoryIds?: CategoryId[];
	/** Only new arrivals. */
	newArrivalsOnly?: boolean;
	excludeCategoryIds?: CategoryId[];
	excludeSkuIds?: SkuId[];
	/** Only these styles (empty/undefined = all). */
	styleIds?: StyleId[];
}

export type PromotionRule =
	/** x % off each eligible line's current total (rounded half up per line). */
	| { kind: 'percentOff'; bp: BasisPoints }
	/** 满减: when eligible spend >= threshold, save `save`; with `repeat`, once per full multiple of threshold. */
	| { kind: 'spendSave'; threshold: Fen; save: Fen; repeat: boolean }
	/** Buy N get M free: units grouped N+M at a time from the most expensive down; in each full group the M cheapest are free. */
	| { kind: 'buyNGetM'; buy: number; get: number }
	/** Nth item at bp off: units grouped n at a time from the most expensive down; the cheapest of each full group gets bp off (e.g. 2nd at 50 %). */
	| { kind: 'nthItem'; n: number; bp: BasisPoints };

export interface Promotion {
	id: string;
	name: string;
	/** Lower number = evaluated first. */
	priority: number;
	/**
	 * exclusive: a line that receives this promotion receives no other, and this promotion skips lines already
	 * discounted by an earlier promotion. stackable: combines with other stackable promotions.
	 */
	stacking: 'exclusive' | 'stackable';
	scope: PromotionScope;
	rule: PromotionRule;
	/** Only when a member is attached. */
	membersOnly?: boolean;
	/** Epoch ms; inclusive start, exclusive end. */
	startsAt?: number;
	endsAt?: number;
	active: boolean;
}

export interface PricingPolicy {
	/** Whole-order 抹零. */
	rounding: RoundingMode;
	/** Whether promotions apply on top of member-level prices (true) or only to non-level-priced lines. */
	promotionsStackWithLevelPrice: boolean;
}

export interface PricingContext {
	now: number;
	memberLevelId?: LevelId;
}

export type AdjustmentSource =
	| { kind: 'levelPrice'; levelId: LevelId }
	| { kind: 'priceOverride' }
	| { kind: 'manual' }
	| { kind: 'promotion'; promotionId: string; name: string }
	| { kind: 'rounding' };

/** A discount on a line. `amount` is the positive number of fen taken off the line. */
export interface Adjustment {
	source: AdjustmentSource;
	amount: Fen;
}

export interface PricedLine {
	lineId: string;
	skuId: SkuId;
	qty: number;
	unitPrice: Fen;
	/** unitPrice x qty */
	listTotal: Fen;
	adjustments: Adjustment[];
	/** listTotal - sum(adjustments); never negative. */
	total: Fen;
}

export interface AppliedPromotion {
	promotionId: string;
	name: string;
	discount: Fen;
}

export interface PricedCart {
	/** In the same order as the input lines. */
	lines: PricedLine[];
	applied: AppliedPromotion[];
	/** Sum of list totals. */
	listTotal: Fen;
	/** Sum of all adjustments except rounding. */
	discountTotal: Fen;
	/** Fen wiped by 抹零 (>= 0), already allocated to lines as a 'rounding' adjustment. */
	roundingDiscount: Fen;
	/** What the customer pays; equals the sum of line totals. */
	total: Fen;
}
