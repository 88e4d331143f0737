/**
 * Validates a cart read back from IndexedDB. It may have been written by another app version or damaged; a
 * cart that does not validate is not loaded (the till starts a fresh one) instead of crashing the till.
 */
import * as v from 'valibot';
import type { Cart } from '$lib/domain/cart';
import type { Fen } from '$lib/domain/money';
import { MAX_LINE_QTY } from '$lib/domain/cart';

export const fenSchema = v.pipe(
	v.number(),
	v.safeInteger(),
	v.transform((n) => n as Fen)
);
const nonNegativeFen = v.pipe(
	v.number(),
	v.safeInteger(),
	v.minValue(0),
	v.transform((n) => n as Fen)
);

const manualDiscount = v.variant('kind', [
	v.object({
		kind: v.literal('percent'),
		bp: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10000))
	}),
	v.object({ kind: v.literal('amount'), amount: nonNegativeFen })
]);

const cartLine = v.object({
	lineId: v.string(),
	skuId: v.string(),
	qty: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LINE_QTY)),
	priceOverride: v.optional(nonNegativeFen),
	manualDiscount: v.optional(manualDiscount),
	addedAt: v.number()
});

export const cartSchema = v.object({
	id: v.string(),
	lines: v.array(cartLine),
	memberId: v.optional(v.string()),
	memberLevelId: v.optional(v.string()),
	createdAt: v.number(),
	updatedAt: v.number(),
	lastScan: v.optional(v.object({ barcode: v.string(), at: v.number() }))
});

/** The cart, or undefined when the stored value is not a valid cart. */
export function parseStoredCart(value: unknown): Cart | undefined {
	const result = v.safeParse(cartSchema, value);
	if (!result.success) return undefined;
	// Drop keys valibot added as undefined so the cart equals what was stored.
	return JSON.parse(JSON.stringify(result.output)) as Cart;
}
