/**
 * Validators for every record that enters the till from outside (demo seed, later: other branches and CSV).
 * The only place where unknown data becomes domain types. Unknown extra fields are kept (`looseObject`) so a
 * record written by a newer app version passes through an older till untouched.
 */
import * as v from 'valibot';
import type { Category, MemberLevel, Style, Variant } from '$lib/domain/catalog';
import type { Fen } from '$lib/domain/money';
import type { Promotion } from '$lib/domain/pricing/types';
import type { StockMovement } from '$lib/domain/sale';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const fen = v.pipe(
	v.number(),
	v.safeInteger(),
	v.minValue(0),
	v.transform((n) => n as Fen)
);
const bp = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10000));
const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const categorySchema = v.looseObject({ id, name: v.string(), parentId: v.optional(id) });
export const levelSchema = v.looseObject({ id, name: v.string(), rank: v.pipe(v.number(), v.integer()) });

export const styleSchema = v.looseObject({
	id,
	code: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
	name: v.pipe(v.string(), v.minLength(1), v.maxLength(120)),
	categoryId: id,
	season: v.string(),
	isNewArrival: v.boolean(),
	retailPrice: fen,
	levelPrices: v.record(v.string(), fen),
	taxRateBp: bp,
	pinyinInitials: v.string(),
	active: v.boolean(),
	updatedAt: epochMs
});

export const variantSchema = v.looseObject({
	id,
	styleId: id,
	barcode: v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{3,24}$/)),
	size: v.string(),
	color: v.string(),
	retailPrice: v.optional(fen),
	active: v.boolean(),
	updatedAt: epochMs
});

export const stockMovementSchema = v.looseObject({
	id,
	skuId: id,
	branchId: id,
	qty: v.pipe(v.number(), v.safeInteger()),
	kind: v.picklist(['sale', 'return', 'receive', 'adjust']),
	refId: v.string(),
	deviceId: v.string(),
	createdAt: epochMs
});

const scopeSchema = v.looseObject({
	categoryIds: v.optional(v.array(id)),
	newArrivalsOnly: v.optional(v.boolean()),
	excludeCategoryIds: v.optional(v.array(id)),
	excludeSkuIds: v.optional(v.array(id)),
	styleIds: v.optional(v.array(id))
});

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const ruleSchema = v.variant('kind', [
	v.object({ kind: v.literal('percentOff'), bp }),
	v.object({ kind: v.literal('spendSave'), threshold: fen, save: fen, repeat: v.boolean() }),
	v.object({ kind: v.literal('buyNGetM'), buy: positiveInt, get: positiveInt }),
	v.object({ kind: v.literal('nthItem'), n: v.pipe(positiveInt, v.minValue(2)), bp })
]);

export const promotionSchema = v.looseObject({
	id,
	name: v.string(),
	priority: v.pipe(v.number(), v.integer()),
	stacking: v.picklist(['exclusive', 'stackable']),
	scope: scopeSchema,
	rule: ruleSchema,
	membersOnly: v.optional(v.boolean()),
	startsAt: v.optional(epochMs),
	endsAt: v.optional(epochMs),
	active: v.boolean()
});

export const branchSchema = v.looseObject({
	id,
	code: v.pipe(v.string(), v.regex(/^B\d{2,3}$/)),
	name: v.string(),
	address: v.string(),
	phone: v.string()
});

export const memberSchema = v.looseObject({
	id,
	code: v.string(),
	phone: v.pipe(v.string(), v.regex(/^1[3-9]\d{9}$/)),
	name: v.string(),
	levelId: id,
	homeBranchId: id,
	createdAt: epochMs
});

export const seedStaffSchema = v.looseObject({
	id,
	name: v.string(),
	role: v.picklist(['owner', 'manager', 'cashier']),
	branchIds: v.array(id),
	pin: v.pipe(v.string(), v.regex(/^\d{4,6}$/))
});

// Compile-time checks that the validators produce the domain types.
type Assert<T extends true> = T;
export type _Checks = [
	Assert<v.InferOutput<typeof styleSchema> extends Style ? true : false>,
	Assert<v.InferOutput<typeof variantSchema> extends Variant ? true : false>,
	Assert<v.InferOutput<typeof categorySchema> extends Category ? true : false>,
	Assert<v.InferOutput<typeof levelSchema> extends MemberLevel ? true : false>,
	Assert<v.InferOutput<typeof stockMovementSchema> extends StockMovement ? true : false>,
	Assert<v.InferOutput<typeof promotionSchema> extends Promotion ? true : false>
];
