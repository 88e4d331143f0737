/**
 * Runs the scheduled level review (domain/members/levelReview.ts) over the members of one branch (or all), in
 * small read chunks so a till stays responsive, and writes each change — the member's new level, a profile change
 * record and their outbox rows — in its own short transaction. A member whose row changed since it was read (a sale
 * upgraded them meanwhile) is left for the next review.
 */
import type { MembershipConfig } from '$lib/domain/members/config';
import { dueForReview, reviewLevel } from '$lib/domain/members/levelReview';
import { localDate, formatIsoDate } from '$lib/domain/members/dates';
import type { BranchlineDb, MemberRow } from './db';
import { newId } from './ids';
import { toRow } from './members';

const LAST_DAY_KEY = 'levelReview:lastDay';
const CHUNK = 500;

export interface LevelReviewResult {
	reviewed: number;
	changed: number;
	skipped: boolean;
}

export interface LevelReviewOptions {
	config: MembershipConfig;
	/** Review only members whose home branch this is; null = every member (a till not in a chain). */
	branchId: string | null;
	now?: number;
	/** Runs even if today's review already ran (tests, a manual run). */
	force?: boolean;
	/** Awaited before each chunk of members (the till waits for a quiet moment). */
	pause?: () => Promise<void>;
}

export async function runLevelReview(db: BranchlineDb, opts: LevelReviewOptions): Promise<LevelReviewResult> {
	const { config } = opts;
	const now = opts.now ?? Date.now();
	const today = formatIsoDate(localDate(now, config.utcOffsetMinutes));
	if (!opts.force && (await db.meta.get(LAST_DAY_KEY))?.value === today)
		return { reviewed: 0, changed: 0, skipped: true };
	let reviewed = 0;
	let changed = 0;
	let after = '';
	for (;;) {
		await opts.pause?.();
		const chunk = await db.members.where(':id').above(after).limit(CHUNK).toArray();
		if (chunk.length === 0) break;
		after = chunk[chunk.length - 1]?.id ?? after;
		for (const member of chunk) {
			if (opts.branchId && member.homeBranchId !== opts.branchId) continue;
			if (!dueForReview(member, config.levels, config.levelPolicy, now)) continue;
			reviewed++;
			if (await reviewOne(db, member, config, now)) changed++;
		}
	}
	await db.meta.put({ key: LAST_DAY_KEY, value: today });
	return { reviewed, changed, skipped: false };
}

async function reviewOne(db: BranchlineDb, member: MemberRow, config: MembershipConfig, now: number) {
	const [sales, entries] = await Promise.all([
		db.sales.where('memberId').equals(member.id).toArray(),
		db.ledger.where('memberId').equals(member.id).toArray()
	]);
	const outcome = reviewLevel({
		member,
		rules: config.levels,
		policy: config.levelPolicy,
		sales,
		purchases: entries.filter((e) => e.account === 'spend'),
		earned: entries.filter((e) => e.account === 'points' && e.kind === 'earn'),
		now,
		utcOffsetMinutes: config.utcOffsetMinutes
	});
	if (!outcome) return false;
	return db.transaction('rw', [db.members, db.profileChanges, db.outbox], async () => {
		const current = await db.members.get(member.id);
		if (!current || current.updatedAt !== member.updatedAt) return false;
		await db.members.put(toRow(outcome.member));
		await db.profileChanges.put(outcome.change);
		await db.outbox.bulkAdd([
			{ id: newId(), table: 'members', recordId: member.id, createdAt: now },
			{ id: newId(), table: 'profileChanges', recordId: outcome.change.id, createdAt: now }
		]);
		return true;
	});
}
