/**
 * Member records: look-up, enrolment (支付即会员), profile edits with their history, balances (folds over the
 * ledger) and PIPL deletion. Every write commits the record, its history and its outbox rows together.
 */
import { DomainError } from '$lib/domain/errors';
import { foldPoints, foldStoredValue } from '$lib/domain/ledger/fold';
import type { ExpiryPolicy, LedgerEntry, PointsFold, StoredValueFold } from '$lib/domain/ledger/types';
import {
	anonymize,
	anonymizeChanges,
	maskPhone as maskDomainPhone,
	memberCode,
	newMemberProfile,
	normalizePhone,
	updateProfile,
	type ProfilePatch
} from '$lib/domain/members/profile';
import type { MemberProfile, PlanSubscription, ProfileChange } from '$lib/domain/members/types';
import type { Sale } from '$lib/domain/sale';
import type { BranchlineDb, MemberRow } from './db';
import { newId } from './ids';
import { accountEntries, appendEntries } from './ledger';
import { entryForBehaviour } from '$lib/domain/ledger/entries';
import { pointsExpiry } from '$lib/domain/ledger/points';

export function toRow(profile: MemberProfile): MemberRow {
	return { ...profile, phoneLast4: profile.phone.slice(-4) };
}

/** By full mobile number or member code (the e-card QR carries the code). */
export async function findMember(db: BranchlineDb, rawQuery: string): Promise<MemberRow | undefined> {
	const query = rawQuery.replace(/[\s-]/g, '');
	if (/^(\+?86)?1\d{10}$/.test(query)) {
		const phone = query.slice(-11);
		return (await db.members.where('phone').equals(phone).toArray()).find((m) => !m.anonymizedAt);
	}
	if (query) return db.members.where('code').equals(query.toUpperCase()).first();
	return undefined;
}

/** Members whose phone ends in these four digits, for the cashier to choose from (most recent first). */
export async function findByLast4(db: BranchlineDb, last4: string, limit = 20): Promise<MemberRow[]> {
	if (!/^\d{4}$/.test(last4)) return [];
	const rows = await db.members
		.where('phoneLast4')
		.equals(last4)
		.limit(limit * 2)
		.toArray();
	return rows
		.filter((m) => !m.anonymizedAt)
		.sort((a, b) => b.updatedAt - a.updatedAt)
		.slice(0, limit);
}

/** Name search for the member screen (prefix of the name, or a part of it, bounded). */
export async function searchMembers(db: BranchlineDb, query: string, limit = 50): Promise<MemberRow[]> {
	const q = query.trim();
	if (!q) return db.members.orderBy('updatedAt').reverse().limit(limit).toArray();
	const exact = await findMember(db, q);
	if (exact) return [exact];
	if (/^\d{4}$/.test(q)) return findByLast4(db, q, limit);
	return db.members
		.filter((m) => m.name.includes(q) || m.code.includes(q.toUpperCase()))
		.limit(limit)
		.toArray();
}

export class PhoneTakenError extends Error {
	constructor(readonly member: MemberRow) {
		super(`phone already enrolled as ${member.id}`);
		this.name = 'PhoneTakenError';
	}
}

export interface EnrolInput {
	phone: string;
	name?: string;
	staffId: string;
	branchId: string;
	entryLevelId: string;
	marketingConsent?: boolean;
	now?: number;
	/** Behaviour points for enrolling (积分奖励), written with the member; 0 = none. */
	enrolmentPoints?: number;
	pointsExpiry?: ExpiryPolicy | null;
	utcOffsetMinutes?: number;
	deviceId?: string;
}

/**
 * Enrols a new member (phone only; name optional). A phone this till already knows is refused with the existing
 * member so the cashier can use them instead; two offline tills may still both enrol it (merged later, audited).
 */
export async function enrolMember(db: BranchlineDb, input: EnrolInput): Promise<MemberRow> {
	const now = input.now ?? Date.now();
	const profile = newMemberProfile({
		id: newId(now),
		code: memberCode({ random: () => (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32 }),
		phone: input.phone,
		name: input.name ?? '',
		now,
		staffId: input.staffId,
		branchId: input.branchId,
		entryLevelId: input.entryLevelId,
		marketingConsent: input.marketingConsent ?? false
	});
	const points = input.enrolmentPoints ?? 0;
	const expiresAt = pointsExpiry(now, input.pointsExpiry ?? null, input.utcOffsetMinutes ?? 480);
	const award =
		points > 0
			? [
					entryForBehaviour(
						{ memberId: profile.id, event: 'enrolment', points, ...(expiresAt ? { expiresAt } : {}) },
						{ deviceId: input.deviceId ?? '', seq: 0, now, newId: () => newId(now) }
					)
				]
			: [];
	return db.transaction('rw', [db.members, db.outbox, db.ledger, db.counters], async () => {
		const existing = (await db.members.where('phone').equals(profile.phone).toArray()).find(
			(m) => !m.anonymizedAt
		);
		if (existing) throw new PhoneTakenError(existing);
		const row = toRow(profile);
		await db.members.add(row);
		await db.outbox.add({ id: newId(), table: 'members', recordId: row.id, createdAt: now });
		await appendEntries(db, input.deviceId ?? '', award);
		return row;
	});
}

/** Applies a profile edit and records each changed field (who, when, old → new). */
export async function editMember(
	db: BranchlineDb,
	memberId: string,
	patch: ProfilePatch,
	staffId: string,
	utcOffsetMinutes: number
): Promise<MemberRow> {
	return db.transaction('rw', [db.members, db.profileChanges, db.outbox], async () => {
		const current = await db.members.get(memberId);
		if (!current) throw new DomainError('member.anonymized', {});
		const now = Date.now();
		const { profile, changes } = updateProfile(
			current,
			patch,
			staffId,
			now,
			() => newId(now),
			utcOffsetMinutes
		);
		if (changes.length === 0) return current;
		if (patch.phone !== undefined && profile.phone !== current.phone) {
			const clash = (await db.members.where('phone').equals(profile.phone).toArray()).find(
				(m) => m.id !== memberId && !m.anonymizedAt
			);
			if (clash) throw new PhoneTakenError(clash);
		}
		const row = toRow(profile);
		await db.members.put(row);
		await db.profileChanges.bulkAdd(changes);
		await db.outbox.bulkAdd([
			{ id: newId(), table: 'members', recordId: row.id, createdAt: now },
			...changes.map((c) => ({
				id: newId(),
				table: 'profileChanges' as const,
				recordId: c.id,
				createdAt: now
			}))
		]);
		return row;
	});
}

export async function profileHistory(db: BranchlineDb, memberId: string): Promise<ProfileChange[]> {
	const rows = await db.profileChanges.where('memberId').equals(memberId).toArray();
	return rows.sort((a, b) => b.at - a.at);
}

/**
 * PIPL deletion on request: blanks the person's data in the profile and in its change history; the ledgers keep
 * their entries (amounts, ids, dates) so every balance stays exact.
 */
export async function deleteMemberData(db: BranchlineDb, memberId: string): Promise<void> {
	await db.transaction('rw', [db.members, db.profileChanges, db.outbox], async () => {
		const current = await db.members.get(memberId);
		if (!current) return;
		const now = Date.now();
		await db.members.put(toRow(anonymize(current, now)));
		const history = anonymizeChanges(await db.profileChanges.where('memberId').equals(memberId).toArray());
		await db.profileChanges.bulkPut(history);
		// The blanked history replicates too: other branches must not keep the old phone or name in it.
		await db.outbox.bulkAdd([
			{ id: newId(), table: 'members', recordId: memberId, createdAt: now },
			...history.map((c) => ({
				id: newId(),
				table: 'profileChanges' as const,
				recordId: c.id,
				createdAt: now
			}))
		]);
	});
}

export interface MemberBalances {
	points: PointsFold | null;
	storedValue: StoredValueFold | null;
	/** Set when a ledger does not fold (an overdraft without a debt entry): spending is blocked until reconciled. */
	problem: unknown;
}

/** Balances are always folds over the ledger, never stored numbers (invariant 3). */
export async function memberBalances(
	db: BranchlineDb,
	memberId: string,
	now = Date.now()
): Promise<MemberBalances> {
	const [points, stored] = await Promise.all([
		accountEntries(db, memberId, 'points'),
		accountEntries(db, memberId, 'storedValue')
	]);
	return foldBalances(points, stored, now);
}

function foldBalances(points: LedgerEntry[], stored: LedgerEntry[], now: number): MemberBalances {
	const p = foldPoints(points, now);
	const s = foldStoredValue(stored, now);
	return {
		points: p.ok ? p.value : null,
		storedValue: s.ok ? s.value : null,
		problem: !p.ok ? p.violation : !s.ok ? s.violation : null
	};
}

/** What attaching a member to a cart needs (state/memberContext.svelte.ts). */
export interface MemberFacts {
	balances: MemberBalances;
	/** The points account's entries, in ledger order. */
	points: LedgerEntry[];
	subscriptions: PlanSubscription[];
	/** The sales this till holds (its branch's; every branch's on an owner's till). */
	sales: Sale[];
	/** Purchase entries of the spend account: the member's sales at any branch (chain-wide spend). */
	purchases: LedgerEntry[];
}

/**
 * Balances, points history, plan subscriptions and sales of a member, read in one transaction with the ledger
 * read once (both accounts): attaching a member waits for one round of IndexedDB reads, not five.
 */
export async function memberFacts(
	db: BranchlineDb,
	memberId: string,
	now = Date.now()
): Promise<MemberFacts> {
	const [entries, subscriptions, sales] = await db.transaction(
		'r',
		[db.ledger, db.subscriptions, db.sales],
		() =>
			Promise.all([
				// The memberId index orders a member's entries by id, as [memberId+account] does within an account.
				db.ledger.where('memberId').equals(memberId).toArray(),
				db.subscriptions.where('memberId').equals(memberId).toArray(),
				db.sales.where('memberId').equals(memberId).toArray()
			])
	);
	const points = entries.filter((e) => e.account === 'points');
	const stored = entries.filter((e) => e.account === 'storedValue');
	const purchases = entries.filter((e) => e.account === 'spend');
	return { balances: foldBalances(points, stored, now), points, subscriptions, sales, purchases };
}

/** 138****1234: how a phone appears on receipts and anything the customer sees. */
export function maskPhone(phone: string): string {
	return maskDomainPhone(phone);
}

export { normalizePhone };
