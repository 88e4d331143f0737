/** Validators for the membership programme, plans, gifts and ledger entries that arrive from outside. */
import * as v from 'valibot';
import type { Fen } from '$lib/domain/money';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import type { Gift, GiftStockMovement } from '$lib/domain/ledger/gifts';
import type { MembershipConfig } from '$lib/domain/members/config';
import type { PaidPlan } from '$lib/domain/members/types';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(120));
const fen = v.pipe(
	v.number(),
	v.safeInteger(),
	v.minValue(0),
	v.transform((n) => n as Fen)
);
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const positive = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const bp = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100000));
const expiry = v.nullable(v.object({ months: positive, endOfMonth: v.boolean() }));

export const levelRuleSchema = v.looseObject({
	id,
	name: v.string(),
	rank: v.pipe(v.number(), v.integer()),
	qualifyBy: v.picklist(['spend', 'points']),
	threshold: count,
	discountBp: bp,
	pointsMultiplierBp: bp,
	birthdayBonusPoints: count,
	perks: v.array(v.string())
});

export const membershipConfigSchema = v.looseObject({
	levels: v.pipe(v.array(levelRuleSchema), v.minLength(1)),
	levelPolicy: v.object({ windowDays: positive, graceDays: count }),
	earn: v.looseObject({
		rate: v.object({ points: positive, perFen: positive }),
		excludeStoredValue: v.boolean(),
		excludePoints: v.boolean(),
		categoryMultipliersBp: v.optional(v.record(v.string(), bp)),
		newArrivalMultiplierBp: v.optional(bp),
		noEarnCategoryIds: v.optional(v.array(v.string()))
	}),
	behaviour: v.object({
		enrolment: count,
		profileCompleted: count,
		birthday: count,
		birthdayWindow: v.picklist(['day', 'month'])
	}),
	pointsExpiry: expiry,
	pointsTender: v.object({
		rate: v.object({ points: positive, fen: positive }),
		maxShareBp: bp,
		step: v.optional(positive)
	}),
	topUpTiers: v.array(
		v.object({
			minAmount: fen,
			bonus: fen,
			levelIds: v.optional(v.array(v.string())),
			repeat: v.optional(v.boolean())
		})
	),
	storedValueSpendOrder: v.picklist(['bonusFirst', 'principalFirst', 'proportional']),
	bonusExpiry: expiry,
	firstPurchaseReward: v.nullable(
		v.union([
			v.object({ name: v.string(), kind: v.literal('spendSave'), threshold: fen, save: fen }),
			v.object({ name: v.string(), kind: v.literal('percentOff'), bp })
		])
	),
	remindDays: count,
	utcOffsetMinutes: v.pipe(v.number(), v.integer(), v.minValue(-720), v.maxValue(840))
});

export const planSchema = v.looseObject({
	id,
	name: v.string(),
	period: v.picklist(['monthly', 'quarterly', 'annual']),
	price: fen,
	discountBp: bp,
	pointsMultiplierBp: bp,
	perks: v.array(v.string()),
	active: v.boolean()
});

export const giftSchema = v.looseObject({
	id,
	name: v.string(),
	pointsPrice: positive,
	cashPrice: fen,
	lowStockThreshold: count,
	active: v.boolean()
});

export const giftStockSchema = v.looseObject({
	id,
	giftId: id,
	branchId: id,
	qty: v.pipe(v.number(), v.safeInteger()),
	kind: v.picklist(['receive', 'redeem', 'adjust']),
	refId: v.string(),
	deviceId: v.string(),
	createdAt: count
});

/** A ledger entry from another till or an import; the domain's validateEntry checks the combinations. */
export const ledgerEntrySchema = v.looseObject({
	id,
	memberId: id,
	account: v.picklist(['points', 'storedValue', 'spend']),
	kind: v.picklist([
		'earn',
		'spend',
		'expire',
		'adjustIn',
		'adjustOut',
		'refundIn',
		'reverseEarn',
		'topUp',
		'bonus',
		'refund',
		'debt',
		'purchase'
	]),
	amount: positive,
	bucket: v.optional(v.picklist(['principal', 'bonus'])),
	expiresAt: v.optional(count),
	deviceId: v.string(),
	seq: count,
	createdAt: count,
	refs: v.array(v.string()),
	reason: v.optional(v.string())
});

type Assert<T extends true> = T;
export type _MembershipChecks = [
	Assert<v.InferOutput<typeof membershipConfigSchema> extends MembershipConfig ? true : false>,
	Assert<v.InferOutput<typeof planSchema> extends PaidPlan ? true : false>,
	Assert<v.InferOutput<typeof giftSchema> extends Gift ? true : false>,
	Assert<v.InferOutput<typeof giftStockSchema> extends GiftStockMovement ? true : false>,
	Assert<v.InferOutput<typeof ledgerEntrySchema> extends LedgerEntry ? true : false>
];
