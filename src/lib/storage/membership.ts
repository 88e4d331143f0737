/** The chain's membership programme (levels, points, stored-value rules), kept with the chain settings. */
import type { MembershipConfig } from '$lib/domain/members/config';
import type { LevelRule } from '$lib/domain/members/types';
import { membershipConfigSchema } from '$lib/schema/membership';
import * as v from 'valibot';
import type { BranchlineDb } from './db';

const key = 'membership';

/** The stored programme, validated; undefined when none is set up (the till then sells without members). */
export async function loadMembership(db: BranchlineDb): Promise<MembershipConfig | undefined> {
	const stored = (await db.meta.get(key))?.value;
	const parsed = v.safeParse(membershipConfigSchema, stored);
	return parsed.success ? (parsed.output as MembershipConfig) : undefined;
}

export async function saveMembership(db: BranchlineDb, config: MembershipConfig): Promise<void> {
	await db.meta.put({ key, value: config });
}

export function levelRule(config: MembershipConfig, levelId: string): LevelRule | undefined {
	return config.levels.find((l) => l.id === levelId);
}
