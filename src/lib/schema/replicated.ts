/**
 * Validators for the records that arrive from other branches through the sync engine and have no validator
 * elsewhere yet: sales, approvals, member profiles (the full profile, not the seed's short form), profile changes,
 * plan subscriptions, top-ups, gift redemptions and member merges. Unknown extra fields are kept (`looseObject`)
 * so a record written by a newer app version passes through an older till untouched.
 */
import * as v from 'valibot';
import type { Fen } from '$lib/domain/money';
import type { Approval } from '$lib/domain/staff';
import type { MemberProfile, PlanSubscription, ProfileChange } from '$lib/domain/members/types';
import type { Tender } from '$lib/domain/tender';
import type { Sale } from '$lib/domain/sale';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(120));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const fen = v.pipe(
	v.number(),
	v.safeInteger(),
	v.minValue(0),
	v.transform((n) => n as Fen)
);
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const tenderSchema = v.looseObject({
	id,
	kind: v.picklist(['cash', 'wechat', 'alipay', 'unionpay', 'storedValue', 'points']),
	amount: fen,
	reference: v.optional(text(120)),
	points: v.optional(count)
});

const adjustmentSource = v.variant('kind', [
	v.looseObject({ kind: v.literal('levelPrice'), levelId: id }),
	v.looseObject({ kind: v.literal('priceOverride') }),
	v.looseObject({ kind: v.literal('manual') }),
	v.looseObject({ kind: v.literal('promotion'), promotionId: id, name: v.string() }),
	v.looseObject({ kind: v.literal('rounding') })
]);

const saleLine = v.looseObject({
	lineId: id,
	skuId: id,
	qty: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
	unitPrice: fen,
	listTotal: fen,
	adjustments: v.array(v.looseObject({ source: adjustmentSource, amount: fen })),
	total: fen,
	barcode: text(40),
	styleCode: text(40),
	name: text(200),
	size: text(40),
	color: text(40),
	categoryId: text(120)
});

export const saleSchema = v.looseObject({
	id,
	number: v.pipe(v.string(), v.regex(/^[A-Z0-9]{1,8}-[A-Z0-9]{1,8}-\d{8}-\d{4,}$/)),
	chainId: text(120),
	branchId: id,
	deviceId: id,
	staffId: id,
	staffName: text(80),
	memberId: v.optional(id),
	memberPhoneMasked: v.optional(text(20)),
	createdAt: epochMs,
	lines: v.array(saleLine),
	listTotal: fen,
	discountTotal: fen,
	roundingDiscount: fen,
	total: fen,
	tenders: v.array(tenderSchema),
	change: fen,
	approvalIds: v.array(id),
	negativeStockSkuIds: v.array(id)
});

export const approvalSchema = v.looseObject({
	id,
	action: v.picklist(['lineDiscount', 'priceOverride', 'removeLine', 'voidCart', 'openDrawer']),
	detail: v.record(v.string(), v.union([v.string(), v.number()])),
	requestedBy: id,
	approvedBy: id,
	approverRole: v.picklist(['cashier', 'manager', 'owner']),
	saleId: v.optional(id),
	createdAt: epochMs
});

/** A member profile as tills replicate it. Phone and name are empty after a PIPL deletion (or a merge). */
export const memberProfileSchema = v.looseObject({
	id,
	code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/)),
	phone: v.pipe(v.string(), v.regex(/^(1[3-9]\d{9})?$/)),
	name: text(40),
	gender: v.picklist(['female', 'male', 'unspecified']),
	birthday: v.pipe(v.string(), v.regex(/^(\d{4}-\d{2}-\d{2})?$/)),
	address: text(200),
	tags: v.pipe(v.array(text(20)), v.maxLength(20)),
	notes: text(500),
	homeBranchId: text(120),
	marketingConsent: v.boolean(),
	levelId: id,
	levelSince: epochMs,
	enrolledAt: epochMs,
	enrolledBy: text(120),
	anonymizedAt: v.optional(epochMs),
	updatedAt: epochMs
});

export const profileChangeSchema = v.looseObject({
	id,
	memberId: id,
	field: v.picklist([
		'id',
		'code',
		'phone',
		'name',
		'gender',
		'birthday',
		'address',
		'tags',
		'notes',
		'homeBranchId',
		'marketingConsent',
		'levelId',
		'levelSince',
		'enrolledAt',
		'enrolledBy',
		'anonymizedAt',
		'updatedAt'
	]),
	from: text(600),
	to: text(600),
	staffId: text(120),
	at: epochMs
});

export const subscriptionSchema = v.looseObject({
	id,
	memberId: id,
	planId: id,
	startsAt: epochMs,
	endsAt: epochMs,
	saleId: id,
	createdAt: epochMs
});

export const topUpSchema = v.looseObject({
	id,
	number: v.pipe(v.string(), v.regex(/^[A-Z0-9]{1,8}-[A-Z0-9]{1,8}-\d{8}-\d{4,}$/)),
	memberId: id,
	branchId: id,
	deviceId: id,
	staffId: id,
	principal: fen,
	bonus: fen,
	tenders: v.array(tenderSchema),
	change: fen,
	createdAt: epochMs
});

export const redemptionSchema = v.looseObject({
	id,
	memberId: id,
	giftId: id,
	qty: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
	points: count,
	cash: fen,
	tenders: v.array(tenderSchema),
	branchId: id,
	deviceId: id,
	staffId: id,
	createdAt: epochMs
});

/** An audited member merge (sync/merge.ts): what moved from the merged member to the kept one, and who did it. */
export const memberMergeSchema = v.looseObject({
	id,
	keepId: id,
	mergeId: id,
	staffId: id,
	deviceId: id,
	createdAt: epochMs,
	points: count,
	principal: fen,
	bonus: fen,
	entryIds: v.array(id)
});

export type MemberMerge = v.InferOutput<typeof memberMergeSchema>;

type Assert<T extends true> = T;
export type _ReplicatedChecks = [
	Assert<v.InferOutput<typeof tenderSchema> extends Tender ? true : false>,
	Assert<v.InferOutput<typeof saleSchema> extends Sale ? true : false>,
	Assert<v.InferOutput<typeof approvalSchema> extends Approval ? true : false>,
	Assert<v.InferOutput<typeof memberProfileSchema> extends MemberProfile ? true : false>,
	Assert<v.InferOutput<typeof profileChangeSchema> extends ProfileChange ? true : false>,
	Assert<v.InferOutput<typeof subscriptionSchema> extends PlanSubscription ? true : false>
];
