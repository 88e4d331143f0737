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
