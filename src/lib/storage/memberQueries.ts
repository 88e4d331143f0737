/**
 * Reads and one write the member screens need beyond members.ts / memberMoney.ts: balances for a list, the
 * e-card look-up, gift stock at a branch, "expiring soon" reminders, what a statement's refs point to, the CSV
 * export, and closing a card's stored value (退储值本金).
 */
import { DomainError } from '$lib/domain/errors';
import { entriesForStoredValueRefund } from '$lib/domain/ledger/entries';
import { expiringSoon as pointsExpiringSoon, foldPoints, foldStoredValue } from '$lib/domain/ledger/fold';
import { giftOnHandByGift } from '$lib/domain/ledger/gifts';
import { memberStatement, type StatementLookups } from '$lib/domain/ledger/statement';
import type { ExpiryPolicy, LedgerEntry } from '$lib/domain/ledger/types';
import type { MembershipConfig } from '$lib/domain/members/config';
import { DAY_MS } from '$lib/domain/members/dates';
import { exportMembersCsv, type MemberBalance } from '$lib/domain/members/exportCsv';
import { expiringSoon as plansExpiringSoon } from '$lib/domain/members/plans';
import { checkMemberCode } from '$lib/domain/members/profile';
import type { PlanSubscription } from '$lib/domain/members/types';
import { fen, ZERO, type Fen } from '$lib/domain/money';
import type { BranchlineDb, MemberRow } from './db';
import { newId } from './ids';
import { accountEntries, appendEntries } from './ledger';
import { memberBalances } from './members';

export interface ListBalance {
	points: number;
	storedValue: Fen;
	/** The ledger does not fold (see MemberBalances.problem): shown as a warning, never as a number. */
	problem: boolean;
}

/** Spendable points and stored value of each listed member (two indexed reads per member). */
export async function balancesFor(
	db: BranchlineDb,
	memberIds: readonly string[],
	now = Date.now()
): Promise<Map<string, ListBalance>> {
	const folded = await Promise.all(memberIds.map((id) => memberBalances(db, id, now)));
	return new Map(
		memberIds.map((id, i) => {
			const b = folded[i];
			return [
				id,
				{
					points: b?.points?.balance ?? 0,
					storedValue: b?.storedValue?.total ?? ZERO,
					problem: !!b?.problem
				}
			];
		})
	);
}

/** The member a card code names (the code comes from an address: checked before it reaches the index). */
export async function memberByCode(db: BranchlineDb, code: string): Promise<MemberRow | undefined> {
	let checked: string;
	try {
		checked = checkMemberCode(code);
	} catch {
		return undefined;
	}
	return db.members.where('code').equals(checked).first();
}

export async function memberSubscriptions(db: BranchlineDb, memberId: string): Promise<PlanSubscription[]> {
	return db.subscriptions.where('memberId').equals(memberId).toArray();
}

/** On-hand of every gift at one branch (a gift with no movement there is absent = 0). */
export async function giftStockAt(db: BranchlineDb, branchId: string): Promise<Map<string, number>> {
	const gifts = await db.gifts.toCollection().primaryKeys();
	const movements = await db.giftStock
		.where('[giftId+branchId]')
		.anyOf(gifts.map((g) => [g, branchId]))
		.toArray();
	return giftOnHandByGift(movements, branchId);
}

export interface ExpiringPoints {
	memberId: string;
	amount: number;
	/** The earliest expiry among the batches counted. */
	expiresAt: number;
}

export interface ExpiringReport {
	points: ExpiringPoints[];
	bonus: ExpiringPoints[];
	plans: PlanSubscription[];
	members: Map<string, MemberRow>;
}

/**
 * Ledger entries created when an entry that expires within (now, now + window] under `policy` could have been
 * created: at least `months` and at most `months + 1` calendar months before its expiry (end-of-month rounding),
 * widened by a few days. Reading this band of the createdAt index, instead of the whole ledger, keeps the
 * reminder cheap at chain scale. Batches written under an older policy with other months are not found.
 */
function creationBand(policy: ExpiryPolicy, now: number, windowMs: number): [number, number] {
	return [now - ((policy.months + 1) * 31 + 2) * DAY_MS, now + windowMs - (policy.months * 28 - 2) * DAY_MS];
}

async function candidates(
	db: BranchlineDb,
	policy: ExpiryPolicy | null,
	now: number,
	windowMs: number,
	matches: (e: LedgerEntry) => boolean,
	limit: number
): Promise<string[]> {
	if (!policy) return [];
	const [from, to] = creationBand(policy, now, windowMs);
	if (to < from) return [];
	const ids = new Set<string>();
	await db.ledger
		.where('createdAt')
		.between(from, to, true, true)
		.until(() => ids.size >= limit)
		.each((e) => {
			if (matches(e) && e.expiresAt !== undefined && e.expiresAt > now && e.expiresAt <= now + windowMs)
				ids.add(e.memberId);
		});
	return [...ids];
}

/**
 * Points, top-up bonus and paid plans that run out within the chain's reminder window (membership.remindDays).
 * At most `limit` members per list, soonest first.
 */
export async function expiringReport(
	db: BranchlineDb,
	config: MembershipConfig,
	now = Date.now(),
	limit = 50
): Promise<ExpiringReport> {
	const windowMs = config.remindDays * DAY_MS;
	const isPointsIn = (e: LedgerEntry) => e.account === 'points' && e.kind !== 'expire';
	const isBonusIn = (e: LedgerEntry) => e.account === 'storedValue' && e.bucket === 'bonus';
	const [pointIds, bonusIds, ending] = await Promise.all([
		candidates(db, config.pointsExpiry, now, windowMs, isPointsIn, limit * 4),
		candidates(db, config.bonusExpiry, now, windowMs, isBonusIn, limit * 4),
		db.subscriptions
			.where('endsAt')
			.between(now, now + windowMs, false, true)
			.toArray()
	]);

	const points: ExpiringPoints[] = [];
	for (const memberId of pointIds) {
		const fold = foldPoints(await accountEntries(db, memberId, 'points'), now);
		if (!fold.ok) continue;
		const soon = pointsExpiringSoon(fold.value, windowMs);
		const first = Math.min(...soon.batches.map((b) => b.expiresAt ?? Infinity));
		if (soon.points > 0) points.push({ memberId, amount: soon.points, expiresAt: first });
	}
	const bonus: ExpiringPoints[] = [];
	for (const memberId of bonusIds) {
		const fold = foldStoredValue(await accountEntries(db, memberId, 'storedValue'), now);
		if (!fold.ok) continue;
		const soon = pointsExpiringSoon({ now, batches: fold.value.bonusBatches }, windowMs);
		const first = Math.min(...soon.batches.map((b) => b.expiresAt ?? Infinity));
		if (soon.points > 0) bonus.push({ memberId, amount: soon.points, expiresAt: first });
	}
	// A member who already renewed beyond the window is not reminded: look at all of their subscriptions.
	const planMembers = [...new Set(ending.map((s) => s.memberId))];
	const subscriptions = planMembers.length
		? await db.subscriptions.where('memberId').anyOf(planMembers).toArray()
		: [];
	const plans = plansExpiringSoon(subscriptions, now, config.remindDays).slice(0, limit);

	const bySoonest = (a: ExpiringPoints, b: ExpiringPoints) => a.expiresAt - b.expiresAt;
	const report = {
		points: points.sort(bySoonest).slice(0, limit),
		bonus: bonus.sort(bySoonest).slice(0, limit),
		plans
	};
	const ids = [...new Set([...report.points, ...report.bonus, ...report.plans].map((x) => x.memberId))];
	const rows = await db.members.bulkGet(ids);
	const members = new Map(rows.filter((m): m is MemberRow => !!m).map((m) => [m.id, m]));
	return { ...report, members };
}

/** Receipt numbers and gifts behind a member's entries, for the statement's "cause" column. */
export async function statementLookups(
	db: BranchlineDb,
	entries: readonly LedgerEntry[]
): Promise<Required<StatementLookups>> {
	const refs = [...new Set(entries.map((e) => e.refs[0] ?? '').filter(Boolean))];
	const [sales, topUps, redemptions] = await Promise.all([
		db.sales.bulkGet(refs),
		db.topUps.bulkGet(refs),
		db.redemptions.bulkGet(refs)
	]);
	const pairs = <T>(rows: (T | undefined)[], value: (row: T) => string) =>
		new Map(rows.flatMap((row, i) => (row ? [[refs[i] ?? '', value(row)] as const] : [])));
	return {
		sales: pairs(sales, (s) => s.number),
		topUps: pairs(topUps, (t) => t.number),
		redemptions: pairs(redemptions, (r) => r.giftId)
	};
}

export interface StoredValueRefund {
	refundId: string;
	principal: Fen;
	forfeitBonus: Fen;
}

/**
 * 退储值本金 (closing a card's stored value): pays back all unused principal and forfeits what is left of the
 * bonus, as one 'refund' and one bonus 'adjustOut' with the reason, in one strict transaction with their outbox
 * rows. Amounts are read inside the transaction, so a top-up or spend a moment ago is counted. Returns null when
 * there is nothing to refund; throws the fold's violation when the ledger needs reconciling first.
 */
export async function commitStoredValueRefund(
	db: BranchlineDb,
	input: { memberId: string; reason: string; staffId: string; deviceId: string; now?: number }
): Promise<StoredValueRefund | null> {
	const now = input.now ?? Date.now();
	if (!input.reason.trim()) throw new DomainError('ledger.reasonRequired', {});
	return db.transaction('rw', [db.ledger, db.counters, db.outbox], async () => {
		const folded = foldStoredValue(await accountEntries(db, input.memberId, 'storedValue'), now);
		if (!folded.ok) throw folded.violation;
		const principal = fen(Math.max(0, folded.value.principal));
		const forfeitBonus = fen(Math.max(0, folded.value.bonus));
		if (principal === 0 && forfeitBonus === 0) return null;
		const refundId = newId(now);
		const entries = entriesForStoredValueRefund(
			{
				memberId: input.memberId,
				refundId,
				principal,
				forfeitBonus,
				staffId: input.staffId,
				reason: input.reason
			},
			{ deviceId: input.deviceId, seq: 0, now, newId: () => newId(now) }
		);
		await appendEntries(db, input.deviceId, entries);
		return { refundId, principal, forfeitBonus };
	});
}

/**
 * Points and stored value of every member, one pass over the ledger (for the export). A ledger that does not fold
 * is exported with its book balance (the statement's), so no money silently disappears from the file.
 */
export async function allMemberBalances(
	db: BranchlineDb,
	now = Date.now()
): Promise<Map<string, MemberBalance>> {
	const byMember = new Map<string, LedgerEntry[]>();
	await db.ledger.each((e) => {
		const list = byMember.get(e.memberId);
		if (list) list.push(e);
		else byMember.set(e.memberId, [e]);
	});
	const out = new Map<string, MemberBalance>();
	for (const [memberId, entries] of byMember) {
		const p = foldPoints(entries, now);
		const s = foldStoredValue(entries, now);
		if (p.ok && s.ok) out.set(memberId, { points: p.value.balance, storedValueFen: s.value.total });
		else {
			const last = memberStatement(entries).at(-1)?.after;
			out.set(memberId, {
				points: last?.points ?? 0,
				storedValueFen: fen((last?.principal ?? 0) + (last?.bonus ?? 0))
			});
		}
	}
	return out;
}

/** Every member as CSV (exportCsv.ts columns); phones masked unless the person exporting may see them. */
export async function membersCsv(
	db: BranchlineDb,
	levelNames: ReadonlyMap<string, string>,
	options: { maskPhones: boolean; utcOffsetMinutes: number }
): Promise<{ csv: string; count: number }> {
	const [members, balances] = await Promise.all([
		db.members.orderBy('code').toArray(),
		allMemberBalances(db)
	]);
	return { csv: exportMembersCsv(members, balances, levelNames, options), count: members.length };
}
