/**
 * Ledger entries as the till writes them: one validator used at every boundary (builders, storage reads, entries
 * from other branches), and builders for what a sale, return, top-up, gift, adjustment or behaviour award creates.
 * Builders stamp ids, device and consecutive seq numbers and validate what they return.
 */
import { DomainError } from '../errors';
import type { Fen } from '../money';
import type { EntryStamp, LedgerAccount, LedgerEntry, LedgerKind, StoredValueBucket } from './types';

/** How an entry moves its pool: brings value in, takes it out, records expiry, or authorises an overdraft. */
export type Flow = 'in' | 'out' | 'expire' | 'debt';

const FLOWS: Record<LedgerKind, Flow> = {
	earn: 'in',
	adjustIn: 'in',
	refundIn: 'in',
	topUp: 'in',
	bonus: 'in',
	spend: 'out',
	adjustOut: 'out',
	reverseEarn: 'out',
	refund: 'out',
	expire: 'expire',
	debt: 'debt',
	purchase: 'in'
};

const BOTH: readonly StoredValueBucket[] = ['principal', 'bonus'];
// Kind/account combos: points kinds carry no bucket; stored-value kinds list the buckets they may touch.
const POINTS_KINDS: ReadonlySet<LedgerKind> = new Set<LedgerKind>([
	'earn',
	'spend',
	'expire',
	'adjustIn',
	'adjustOut',
	'refundIn',
	'reverseEarn',
	'debt'
]);
const STORED_VALUE_BUCKETS: Partial<Record<LedgerKind, readonly StoredValueBucket[]>> = {
	topUp: ['principal'],
	bonus: ['bonus'],
	spend: BOTH,
	refund: ['principal'],
	expire: ['bonus'],
	adjustIn: BOTH,
	adjustOut: BOTH,
	refundIn: BOTH,
	debt: BOTH
};
const MAX_REASON = 200;
const MAX_ID = 200;

/** The flow of a (valid) entry's kind. */
export function flowOf(entry: Pick<LedgerEntry, 'kind'>): Flow {
	return FLOWS[entry.kind];
}

/** Whether an entry may carry expiresAt: inflows of the expiring pools (points, stored-value bonus). */
function mayExpire(e: LedgerEntry): boolean {
	if (flowOf(e) !== 'in') return false;
	return e.account === 'points' || e.bucket === 'bonus';
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_ID;
const isCount = (v: unknown, min: number): v is number =>
	typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/** The first thing wrong with an entry as ledger.invalidEntry, or null when it is valid. Never throws. */
export function entryProblem(entry: LedgerEntry): DomainError | null {
	const e = entry as Partial<Record<keyof LedgerEntry, unknown>>;
	const bad = (field: string, value: unknown) =>
		new DomainError('ledger.invalidEntry', {
			entryId: typeof e.id === 'string' ? e.id.slice(0, 40) : '?',
			field,
			value: String(value).slice(0, 40)
		});
	if (!isId(e.id)) return bad('id', e.id);
	if (!isId(e.memberId)) return bad('memberId', e.memberId);
	if (!isId(e.deviceId)) return bad('deviceId', e.deviceId);
	if (!isCount(e.seq, 0)) return bad('seq', e.seq);
	if (!isCount(e.createdAt, 0)) return bad('createdAt', e.createdAt);
	if (!isCount(e.amount, 1)) return bad('amount', e.amount);
	if (typeof e.kind !== 'string' || !Object.hasOwn(FLOWS, e.kind)) return bad('kind', e.kind);
	if (e.account === 'points') {
		if (!POINTS_KINDS.has(entry.kind)) return bad('kind', e.kind);
		if (e.bucket !== undefined) return bad('bucket', e.bucket);
	} else if (e.account === 'storedValue') {
		const buckets = STORED_VALUE_BUCKETS[entry.kind];
		if (!buckets) return bad('kind', e.kind);
		if (!buckets.includes(e.bucket as StoredValueBucket)) return bad('bucket', e.bucket);
	} else if (e.account === 'spend') {
		if (entry.kind !== 'purchase') return bad('kind', e.kind);
		if (e.bucket !== undefined) return bad('bucket', e.bucket);
	} else return bad('account', e.account);
	if (e.expiresAt !== undefined) {
		if (!mayExpire(entry)) return bad('expiresAt', e.expiresAt);
		if (!isCount(e.expiresAt, entry.createdAt + 1)) return bad('expiresAt', e.expiresAt);
	}
	// Every entry says what caused it (sale, top-up, staff, batch): the audit trail of invariant 3.
	if (!Array.isArray(e.refs) || e.refs.length === 0 || !e.refs.every(isId)) return bad('refs', e.refs);
	const needsReason = entry.kind === 'adjustIn' || entry.kind === 'adjustOut';
	if (e.reason !== undefined && (typeof e.reason !== 'string' || e.reason.length > MAX_REASON))
		return bad('reason', e.reason);
	if (needsReason && !(typeof e.reason === 'string' && e.reason.trim())) return bad('reason', e.reason);
	return null;
}

/** Throws ledger.invalidEntry for the first problem: positive integers, known kind/account/bucket, reason, refs. */
export function validateEntry(entry: LedgerEntry): void {
	const problem = entryProblem(entry);
	if (problem) throw problem;
}

/** An entry before the device stamps it. */
export type EntryDraft = Omit<LedgerEntry, 'id' | 'memberId' | 'deviceId' | 'seq' | 'createdAt'> & {
	id?: string;
};

/** Stamps drafts for one member (new ids unless a draft has one, consecutive seq, createdAt = now), validated. */
export function stampEntries(
	memberId: string,
	drafts: readonly EntryDraft[],
	stamp: EntryStamp
): LedgerEntry[] {
	const entries = drafts.map((d, i): LedgerEntry => ({
		...d,
		id: d.id ?? stamp.newId(),
		memberId,
		deviceId: stamp.deviceId,
		seq: stamp.seq + i,
		createdAt: stamp.now
	}));
	for (const e of entries) validateEntry(e);
	return entries;
}

// Zero means "none of this" and writes nothing; anything else (including negatives) goes to validation.
function draftIf(amount: number, draft: Omit<EntryDraft, 'amount'>): EntryDraft[] {
	return amount === 0 ? [] : [{ ...draft, amount }];
}

/** What a member's sale moves on the ledgers. Batch ids are for the audit trail only (the fold recomputes FIFO). */
export interface SaleLedgerInput {
	memberId: string;
	saleId: string;
	pointsEarned: number;
	pointsExpiresAt?: number;
	pointsSpent: number;
	pointsSpentFrom?: readonly string[];
	svSpend?: { principal: Fen; bonus: Fen };
	/** Overdrafts the offline floor allowed for this sale (escrow decides; 0 or absent = none). */
	debt?: { points?: number; principal?: Fen; bonus?: Fen };
	/** The sale's total, recorded as a `purchase` on the spend account (chain-wide spend for levels). */
	spent?: Fen;
}

/**
 * Entries of a sale, in this order: debts, spends (points, principal, bonus), the earn, then the purchase. Spends
 * come before the earn so a sale can never pay with the points it is earning.
 */
export function entriesForSale(input: SaleLedgerInput, stamp: EntryStamp): LedgerEntry[] {
	const refs = [input.saleId];
	const sv = (bucket: StoredValueBucket) => ({ account: 'storedValue' as const, bucket, refs });
	const drafts: EntryDraft[] = [
		...draftIf(input.debt?.points ?? 0, { account: 'points', kind: 'debt', refs }),
		...draftIf(input.debt?.principal ?? 0, { ...sv('principal'), kind: 'debt' }),
		...draftIf(input.debt?.bonus ?? 0, { ...sv('bonus'), kind: 'debt' }),
		...draftIf(input.pointsSpent, {
			account: 'points',
			kind: 'spend',
			refs: [input.saleId, ...(input.pointsSpentFrom ?? [])]
		}),
		...draftIf(input.svSpend?.principal ?? 0, { ...sv('principal'), kind: 'spend' }),
		...draftIf(input.svSpend?.bonus ?? 0, { ...sv('bonus'), kind: 'spend' }),
		...draftIf(input.pointsEarned, {
			account: 'points',
			kind: 'earn',
			refs,
			...(input.pointsExpiresAt === undefined ? {} : { expiresAt: input.pointsExpiresAt })
		}),
		...draftIf(input.spent ?? 0, { account: 'spend', kind: 'purchase', refs })
	];
	return stampEntries(input.memberId, drafts, stamp);
}

/** What a return gives back: earned points taken back, points and stored-value tenders refunded. */
export interface ReturnLedgerInput {
	memberId: string;
	returnId: string;
	/** Points the returned lines had earned (reverseEarn). */
	pointsReversed: number;
	/** Points tender given back (refundIn, a new batch). */
	pointsRefunded: number;
	pointsRefundExpiresAt?: number;
	svRefund?: { principal: Fen; bonus: Fen };
	bonusRefundExpiresAt?: number;
}

/** Entries of a return. Refunds come first so a member who had spent nothing can always absorb the reversal. */
export function entriesForReturn(input: ReturnLedgerInput, stamp: EntryStamp): LedgerEntry[] {
	const refs = [input.returnId];
	const drafts: EntryDraft[] = [
		...draftIf(input.pointsRefunded, {
			account: 'points',
			kind: 'refundIn',
			refs,
			...(input.pointsRefundExpiresAt === undefined ? {} : { expiresAt: input.pointsRefundExpiresAt })
		}),
		...draftIf(input.svRefund?.principal ?? 0, {
			account: 'storedValue',
			kind: 'refundIn',
			bucket: 'principal',
			refs
		}),
		...draftIf(input.svRefund?.bonus ?? 0, {
			account: 'storedValue',
			kind: 'refundIn',
			bucket: 'bonus',
			refs,
			...(input.bonusRefundExpiresAt === undefined ? {} : { expiresAt: input.bonusRefundExpiresAt })
		}),
		...draftIf(input.pointsReversed, { account: 'points', kind: 'reverseEarn', refs })
	];
	return stampEntries(input.memberId, drafts, stamp);
}

/** A top-up: the principal ('topUp') and its bonus ('bonus'), both referencing the top-up id. */
export interface TopUpLedgerInput {
	memberId: string;
	topUpId: string;
	principal: Fen;
	bonus: Fen;
	bonusExpiresAt?: number;
}

/** Entries of a top-up (充500送50 -> topUp 50000 + bonus 5000). */
export function entriesForTopUp(input: TopUpLedgerInput, stamp: EntryStamp): LedgerEntry[] {
	const refs = [input.topUpId];
	const drafts: EntryDraft[] = [
		{ account: 'storedValue', kind: 'topUp', bucket: 'principal', amount: input.principal, refs },
		...draftIf(input.bonus, {
			account: 'storedValue',
			kind: 'bonus',
			bucket: 'bonus',
			refs,
			...(input.bonusExpiresAt === undefined ? {} : { expiresAt: input.bonusExpiresAt })
		})
	];
	return stampEntries(input.memberId, drafts, stamp);
}

/** Closing a card (退卡): unused principal goes back to the customer; the remaining bonus is forfeited. */
export interface StoredValueRefundInput {
	memberId: string;
	refundId: string;
	principal: Fen;
	forfeitBonus: Fen;
	staffId: string;
	reason: string;
}

/** Entries of a stored-value refund: 'refund' of principal and an 'adjustOut' of the forfeited bonus. */
export function entriesForStoredValueRefund(input: StoredValueRefundInput, stamp: EntryStamp): LedgerEntry[] {
	if (!input.reason.trim()) throw new DomainError('ledger.reasonRequired', {});
	const drafts: EntryDraft[] = [
		...draftIf(input.principal, {
			account: 'storedValue',
			kind: 'refund',
			bucket: 'principal',
			refs: [input.refundId, input.staffId]
		}),
		...draftIf(input.forfeitBonus, {
			account: 'storedValue',
			kind: 'adjustOut',
			bucket: 'bonus',
			refs: [input.refundId, input.staffId],
			reason: input.reason.trim()
		})
	];
	return stampEntries(input.memberId, drafts, stamp);
}

/** A gift redeemed for points (积分商城). Any cash part is a normal sale. */
export interface GiftRedemptionLedgerInput {
	memberId: string;
	redemptionId: string;
	giftId: string;
	points: number;
	pointsSpentFrom?: readonly string[];
}

/** The points spend of a gift redemption, referencing the redemption and the gift. */
export function entriesForGiftRedemption(input: GiftRedemptionLedgerInput, stamp: EntryStamp): LedgerEntry[] {
	const refs = [input.redemptionId, input.giftId, ...(input.pointsSpentFrom ?? [])];
	return stampEntries(
		input.memberId,
		[{ account: 'points', kind: 'spend', amount: input.points, refs }],
		stamp
	);
}

/** A manual adjustment by staff: always with a reason, and the approval id when one was needed. */
export interface AdjustmentLedgerInput {
	memberId: string;
	account: LedgerAccount;
	direction: 'in' | 'out';
	amount: number;
	bucket?: StoredValueBucket;
	reason: string;
	staffId: string;
	approvalId?: string;
	expiresAt?: number;
}

/** One adjustIn/adjustOut entry; throws ledger.reasonRequired for a blank reason. */
export function entriesForAdjustment(input: AdjustmentLedgerInput, stamp: EntryStamp): LedgerEntry[] {
	if (!input.reason.trim()) throw new DomainError('ledger.reasonRequired', {});
	const draft: EntryDraft = {
		account: input.account,
		kind: input.direction === 'in' ? 'adjustIn' : 'adjustOut',
		amount: input.amount,
		refs: input.approvalId ? [input.staffId, input.approvalId] : [input.staffId],
		reason: input.reason.trim(),
		...(input.bucket === undefined ? {} : { bucket: input.bucket }),
		...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt })
	};
	return stampEntries(input.memberId, [draft], stamp);
}

/** Once-only behaviour awards (积分奖励). */
export type BehaviourEvent = 'enrolment' | 'profileCompleted' | 'birthday';

/**
 * The id of a behaviour award. Deterministic on purpose: two branches awarding the same birthday offline write the
 * same id, and the fold counts an id once, so the award converges to exactly once with no coordination.
 */
export function behaviourEntryId(memberId: string, event: BehaviourEvent, year?: number): string {
	return event === 'birthday' ? `bday:${memberId}:${year ?? 0}` : `${event}:${memberId}`;
}

/** The earn entry of a behaviour award (refs: the event, e.g. "birthday:2026"). */
export function entryForBehaviour(
	input: { memberId: string; event: BehaviourEvent; points: number; year?: number; expiresAt?: number },
	stamp: EntryStamp
): LedgerEntry {
	// A birthday award is once per year: without the year its id could not dedupe across branches.
	if (input.event === 'birthday' && !Number.isSafeInteger(input.year))
		throw new DomainError('ledger.badPolicy', { field: 'year', value: String(input.year) });
	const tag = input.event === 'birthday' ? `birthday:${input.year}` : input.event;
	const draft: EntryDraft = {
		id: behaviourEntryId(input.memberId, input.event, input.year),
		account: 'points',
		kind: 'earn',
		amount: input.points,
		refs: [tag],
		...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt })
	};
	return stampEntries(input.memberId, [draft], stamp)[0]!;
}
