/**
 * The open cart: what the cashier has scanned so far, before pricing. Pure and immutable: every function returns
 * a new cart, so the UI can undo by keeping the previous value and storage can persist it as plain data.
 */
import type { LevelId, SkuId, Style, Variant } from './catalog';
import { DomainError } from './errors';
import type { Fen } from './money';
import type { ManualDiscount, PricingLine } from './pricing/types';

/** Largest quantity on one line; more is almost certainly a mis-keyed number. */
export const MAX_LINE_QTY = 9999;
/** Largest price a cashier may key in as an override (¥999,999.99). */
export const MAX_OVERRIDE_PRICE = 99_999_999;

/** One scanned item (or several of the same) in the open cart. */
export interface CartLine {
	lineId: string;
	skuId: SkuId;
	/** Positive integer, at most MAX_LINE_QTY. */
	qty: number;
	/** Unit price keyed in by the cashier (needs approval, see staff.ts); replaces the list price. */
	priceOverride?: Fen;
	manualDiscount?: ManualDiscount;
	addedAt: number;
}

/** The cart being rung up at a till. */
export interface Cart {
	id: string;
	lines: CartLine[];
	memberId?: string;
	memberLevelId?: LevelId;
	createdAt: number;
	updatedAt: number;
	/** The last barcode scanned, to recognise a scanner firing twice. */
	lastScan?: { barcode: string; at: number };
}

/**
 * What a repeated scan of the same SKU does. 'increment' adds to the existing line (clothing default);
 * 'separateLine' always adds a new line; 'ignoreDoubleFire' increments too but drops a repeat of the same
 * barcode inside the merge window (a scanner double-fire).
 */
export type MergePolicy = 'increment' | 'separateLine' | 'ignoreDoubleFire';

/** Options for addSku. */
export interface AddSkuOptions {
	barcode: string;
	now: number;
	/** Id for the new line if one is created (device-generated, unique). */
	lineId: string;
	/** Two scans of the same barcode closer than this are treated as a possible double-fire, e.g. 400 ms. */
	mergeWindowMs: number;
	mergePolicy: MergePolicy;
}

/** What addSku did, so the UI can say so ("扫码重复，已忽略" with undo / add anyway). */
export type AddOutcome = 'added' | 'incremented' | 'ignoredDoubleFire';

/** Result of addSku. `suspectedDoubleFire` is true whenever the scan repeated the last one inside the window. */
export interface AddSkuResult {
	cart: Cart;
	outcome: AddOutcome;
	suspectedDoubleFire: boolean;
}

/** An empty cart. */
export function newCart(id: string, now: number): Cart {
	return { id, lines: [], createdAt: now, updatedAt: now };
}

function assertQty(qty: number): void {
	if (!Number.isSafeInteger(qty) || qty < 1 || qty > MAX_LINE_QTY)
		throw new DomainError('cart.badQuantity', { value: String(qty), max: MAX_LINE_QTY });
}

function findLine(cart: Cart, lineId: string): CartLine {
	const line = cart.lines.find((l) => l.lineId === lineId);
	if (!line) throw new DomainError('cart.lineNotFound', { lineId });
	return line;
}

function replaceLine(cart: Cart, lineId: string, now: number, change: (line: CartLine) => CartLine): Cart {
	findLine(cart, lineId);
	return { ...cart, lines: cart.lines.map((l) => (l.lineId === lineId ? change(l) : l)), updatedAt: now };
}

/**
 * Adds one unit of a SKU. A repeat of the last barcode within `mergeWindowMs` is never added silently: with
 * 'ignoreDoubleFire' it is dropped (outcome 'ignoredDoubleFire'); with the other policies it is added but the
 * result carries `suspectedDoubleFire` so the UI can offer undo. "Add anyway" = call again with 'increment'.
 */
export function addSku(cart: Cart, skuId: SkuId, options: AddSkuOptions): AddSkuResult {
	const { barcode, now, lineId, mergeWindowMs, mergePolicy } = options;
	const last = cart.lastScan;
	// A clock step backwards (now < last.at) is not a double-fire: we cannot tell, so we add.
	const suspectedDoubleFire =
		last !== undefined && last.barcode === barcode && now >= last.at && now - last.at < mergeWindowMs;
	const lastScan = { barcode, at: now };

	if (suspectedDoubleFire && mergePolicy === 'ignoreDoubleFire') {
		// lastScan moves on so a triple-fire is dropped too; lines and updatedAt stay as they were.
		return { cart: { ...cart, lastScan }, outcome: 'ignoredDoubleFire', suspectedDoubleFire };
	}

	if (mergePolicy !== 'separateLine') {
		// Only merge into a plain line: incrementing a discounted or overridden line would silently extend the
		// discount (and its approval) to a unit nobody approved.
		const target = cart.lines.findLast(
			(l) => l.skuId === skuId && l.priceOverride === undefined && l.manualDiscount === undefined
		);
		if (target) {
			assertQty(target.qty + 1);
			const next = replaceLine(cart, target.lineId, now, (l) => ({ ...l, qty: l.qty + 1 }));
			return { cart: { ...next, lastScan }, outcome: 'incremented', suspectedDoubleFire };
		}
	}

	if (cart.lines.some((l) => l.lineId === lineId)) throw new DomainError('cart.duplicateLine', { lineId });
	const line: CartLine = { lineId, skuId, qty: 1, addedAt: now };
	return {
		cart: { ...cart, lines: [...cart.lines, line], updatedAt: now, lastScan },
		outcome: 'added',
		suspectedDoubleFire
	};
}

/** Sets a line's quantity: a positive integer up to MAX_LINE_QTY (cart.badQuantity otherwise). */
export function setQty(cart: Cart, lineId: string, qty: number, now: number): Cart {
	assertQty(qty);
	return replaceLine(cart, lineId, now, (l) => ({ ...l, qty }));
}

/** Removes a line (whether that needs approval is staff.ts's decision, not the cart's). */
export function removeLine(cart: Cart, lineId: string, now: number): Cart {
	findLine(cart, lineId);
	return { ...cart, lines: cart.lines.filter((l) => l.lineId !== lineId), updatedAt: now };
}

/**
 * Sets or clears (undefined) a manual line discount. Percent: 1-10000 bp; amount: a positive whole number of fen.
 * An amount larger than the line is clamped by the pricing engine (a line never goes negative).
 */
export function setLineDiscount(
	cart: Cart,
	lineId: string,
	discount: ManualDiscount | undefined,
	now: number
): Cart {
	if (discount) assertDiscount(discount);
	return replaceLine(cart, lineId, now, (l) => withOptional(l, 'manualDiscount', discount));
}

/** Throws cart.badDiscount unless the discount is a valid percent (1-10000 bp) or positive amount. */
export function assertDiscount(discount: ManualDiscount): void {
	if (discount.kind === 'percent') {
		if (!Number.isSafeInteger(discount.bp) || discount.bp < 1 || discount.bp > 10000)
			throw new DomainError('cart.badDiscount', { value: String(discount.bp) });
	} else if (discount.kind === 'amount') {
		if (!Number.isSafeInteger(discount.amount) || discount.amount < 1)
			throw new DomainError('cart.badDiscount', { value: String(discount.amount) });
	} else {
		throw new DomainError('cart.badDiscount', { value: String((discount as { kind: unknown }).kind) });
	}
}

/**
 * Sets or clears (undefined) a unit-price override. 0 is allowed (a gift, which needs approval);
 * negative, fractional or above MAX_OVERRIDE_PRICE is refused with cart.badPrice.
 */
export function setPriceOverride(cart: Cart, lineId: string, price: Fen | undefined, now: number): Cart {
	if (price !== undefined && (!Number.isSafeInteger(price) || price < 0 || price > MAX_OVERRIDE_PRICE))
		throw new DomainError('cart.badPrice', { value: String(price) });
	return replaceLine(cart, lineId, now, (l) => withOptional(l, 'priceOverride', price));
}

/** Empties the cart for the next customer: lines, member and last scan go; id and createdAt stay. */
export function clear(cart: Cart, now: number): Cart {
	return { id: cart.id, lines: [], createdAt: cart.createdAt, updatedAt: now };
}

/** Attaches a member (and their current level, which drives level prices). */
export function attachMember(cart: Cart, memberId: string, levelId: LevelId | undefined, now: number): Cart {
	const base = { ...cart, memberId, updatedAt: now };
	return withOptional(base, 'memberLevelId', levelId);
}

/** Detaches the member (and their level). */
export function detachMember(cart: Cart, now: number): Cart {
	const { memberId: _m, memberLevelId: _l, ...rest } = cart;
	return { ...rest, updatedAt: now };
}

/** Total number of units in the cart. */
export function itemCount(cart: Cart): number {
	return cart.lines.reduce((n, l) => n + l.qty, 0);
}

/** What toPricingLines needs to know about a SKU. */
export interface SkuInfo {
	style: Style;
	variant: Variant;
}

/**
 * Resolves cart lines to pricing lines. The variant's own retail price wins over the style's. A SKU the lookup
 * no longer knows (deleted from the catalog) throws cart.unknownSku so the cashier can remove that line.
 */
export function toPricingLines(cart: Cart, lookup: (skuId: SkuId) => SkuInfo | undefined): PricingLine[] {
	return cart.lines.map((line) => {
		const info = lookup(line.skuId);
		if (!info) throw new DomainError('cart.unknownSku', { skuId: line.skuId, lineId: line.lineId });
		const { style, variant } = info;
		const pricing: PricingLine = {
			lineId: line.lineId,
			skuId: line.skuId,
			styleId: style.id,
			categoryId: style.categoryId,
			isNewArrival: style.isNewArrival,
			qty: line.qty,
			unitPrice: variant.retailPrice ?? style.retailPrice,
			levelPrices: style.levelPrices
		};
		if (line.priceOverride !== undefined) pricing.priceOverride = line.priceOverride;
		if (line.manualDiscount !== undefined) pricing.manualDiscount = line.manualDiscount;
		return pricing;
	});
}

// Optional fields are omitted rather than set to undefined, so stored carts stay clean and compare equal.
function withOptional<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): T {
	const copy = { ...obj };
	if (value === undefined) delete copy[key];
	else copy[key] = value;
	return copy;
}
