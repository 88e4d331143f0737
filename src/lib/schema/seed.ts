/** Validates the demo chain file fetched on first start before a single row is written. */
import * as v from 'valibot';
import {
	branchSchema,
	categorySchema,
	levelSchema,
	memberSchema,
	promotionSchema,
	seedStaffSchema,
	stockMovementSchema,
	styleSchema,
	variantSchema
} from './records';
import { giftSchema, giftStockSchema, membershipConfigSchema, planSchema } from './membership';

export const demoSeedSchema = v.looseObject({
	version: v.literal(1),
	seed: v.string(),
	chain: v.looseObject({ id: v.string(), name: v.string() }),
	branches: v.array(branchSchema),
	categories: v.array(categorySchema),
	levels: v.array(levelSchema),
	styles: v.array(styleSchema),
	variants: v.array(variantSchema),
	stock: v.array(stockMovementSchema),
	promotions: v.array(promotionSchema),
	members: v.array(memberSchema),
	staff: v.array(seedStaffSchema),
	membership: membershipConfigSchema,
	openingBalances: v.array(
		v.object({
			memberId: v.string(),
			points: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
			storedValue: v.pipe(v.number(), v.safeInteger(), v.minValue(0))
		})
	),
	plans: v.array(planSchema),
	gifts: v.array(giftSchema),
	giftStock: v.array(giftStockSchema),
	/** The demo history's ledger, in the generator's compact form (converted to domain entries on import). */
	ledger: v.array(
		v.looseObject({
			id: v.string(),
			memberId: v.string(),
			kind: v.picklist(['pointsEarn', 'pointsSpend', 'storedValueTopUp', 'storedValueSpend']),
			amount: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
			deviceId: v.string(),
			seq: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
			createdAt: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
			refs: v.array(v.string())
		})
	),
	settings: v.looseObject({
		rounding: v.picklist(['none', 'jiao', 'yuan']),
		promotionsStackWithLevelPrice: v.boolean(),
		allowNegativeStock: v.boolean()
	})
});

export type DemoSeed = v.InferOutput<typeof demoSeedSchema>;

/** The seed, or a readable list of the first problems found (path: message). */
export function parseDemoSeed(
	value: unknown
): { ok: true; seed: DemoSeed } | { ok: false; problems: string[] } {
	const result = v.safeParse(demoSeedSchema, value);
	if (result.success) return { ok: true, seed: result.output };
	return {
		ok: false,
		problems: result.issues.slice(0, 5).map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
	};
}
