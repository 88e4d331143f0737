/**
 * Storage side of the member CSV import: what the import checks against (phones and codes already in the chain,
 * read from the indexes) and committing the valid rows with their opening balances in ONE transaction.
 */
import { DomainError } from '$lib/domain/errors';
import { entriesForAdjustment } from '$lib/domain/ledger/entries';
import { pointsExpiry } from '$lib/domain/ledger/points';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import type { MembershipConfig } from '$lib/domain/members/config';
import type { OpeningBalance } from '$lib/domain/members/importCsv';
import type { MemberProfile } from '$lib/domain/members/types';
import { fen } from '$lib/domain/money';
import type { BranchlineDb, OutboxRow } from './db';
import { newId } from './ids';
import { appendEntries } from './ledger';
import { PhoneTakenError, toRow } from './members';

/** The reason written on opening-balance entries (it is data, shown as written in every language). */
export const OPENING_BALANCE_REASON = '期初导入';

/** Phone -> member id (members whose data was deleted have no phone) and every member code, from the indexes. */
export async function memberImportLookups(
	db: BranchlineDb
): Promise<{ phones: Map<string, string>; codes: Set<string> }> {
	const phones = new Map<string, string>();
	await db.members.orderBy('phone').eachKey((key, cursor) => {
		if (typeof key === 'string' && key !== '') phones.set(key, String(cursor.primaryKey));
	});
	const codes = await db.members.orderBy('code').keys();
	return { phones, codes: new Set(codes.map(String)) };
}

export interface MemberImportCommit {
	members: readonly MemberProfile[];
	openingBalances: readonly OpeningBalance[];
	/** Points expiry and time zone for the opening points; null = the chain has no programme (points never expire). */
	config: MembershipConfig | null;
	staffId: string;
	deviceId: string;
	now?: number;
}

/**
 * Writes the imported members and their opening balances: points as an 'adjustIn' batch that expires by the
 * chain's rule from today, stored value as principal 'adjustIn' (the customer's money, refundable), both with the
 * reason 期初导入. Phones and codes are checked again inside the transaction (another tab or a sync may have
 * added one since the preview): any clash aborts everything with PhoneTakenError / member.duplicateCode.
 */
export async function commitMemberImport(
	db: BranchlineDb,
	input: MemberImportCommit
): Promise<{ members: number; entries: number }> {
	const now = input.now ?? Date.now();
	const stamp = { deviceId: input.deviceId, seq: 0, now, newId: () => newId(now) };
	const expiresAt = input.config
		? pointsExpiry(now, input.config.pointsExpiry, input.config.utcOffsetMinutes)
		: undefined;
	const drafts: LedgerEntry[] = input.openingBalances.flatMap((b) => {
		const common = { memberId: b.memberId, direction: 'in', reason: OPENING_BALANCE_REASON } as const;
		return [
			...(b.points > 0
				? entriesForAdjustment(
						{
							...common,
							account: 'points',
							amount: b.points,
							staffId: input.staffId,
							...(expiresAt === undefined ? {} : { expiresAt })
						},
						stamp
					)
				: []),
			...(b.storedValueFen > 0
				? entriesForAdjustment(
						{
							...common,
							account: 'storedValue',
							bucket: 'principal',
							amount: fen(b.storedValueFen),
							staffId: input.staffId
						},
						stamp
					)
				: [])
		];
	});
	const rows = input.members.map(toRow);
	return db.transaction('rw', [db.members, db.ledger, db.counters, db.outbox], async () => {
		const phones = rows.map((r) => r.phone);
		const clash = (await db.members.where('phone').anyOf(phones).toArray()).find((m) => !m.anonymizedAt);
		if (clash) throw new PhoneTakenError(clash);
		const codeClash = await db.members
			.where('code')
			.anyOf(rows.map((r) => r.code))
			.first();
		if (codeClash) throw new DomainError('member.duplicateCode', { value: codeClash.code });
		await db.members.bulkAdd(rows);
		const outbox: OutboxRow[] = rows.map((r) => ({
			id: newId(now),
			table: 'members',
			recordId: r.id,
			createdAt: now
		}));
		await db.outbox.bulkAdd(outbox);
		const entries = await appendEntries(db, input.deviceId, drafts);
		return { members: rows.length, entries: entries.length };
	});
}
