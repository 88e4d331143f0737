/**
 * Settling an offline overdraft (对账). Two tills offline at once can each spend the same balance; when their entries
 * meet, the fold refuses the later spend (`ledger.overdraft`) and the member's points or stored value are paused.
 * A manager settles it by recording a `debt` entry for the shortfall: the spend is then authorised, the balance
 * shows what the member owes (negative), and later top-ups or earnings repay it first (pool.ts). Nothing is
 * deleted or rewritten; the debt names the sale that overdrew and the manager who settled it.
 */
import { DomainError } from '../errors';
import { stampEntries } from './entries';
import type { EntryStamp, LedgerEntry, StoredValueBucket } from './types';

export interface Overdraft {
	/** The spend the fold could not cover. */
	entryId: string;
	account: 'points' | 'storedValue';
	bucket?: StoredValueBucket;
	/** Points, or fen of that bucket. */
	shortfall: number;
}

const POOLS: Record<string, Pick<Overdraft, 'account' | 'bucket'>> = {
	points: { account: 'points' },
	'storedValue.principal': { account: 'storedValue', bucket: 'principal' },
	'storedValue.bonus': { account: 'storedValue', bucket: 'bonus' }
};

/** The overdraft a fold reported, or null when the problem is something else (a malformed entry, say). */
export function overdraftOf(problem: unknown): Overdraft | null {
	if (!(problem instanceof DomainError) || problem.code !== 'ledger.overdraft') return null;
	const { entryId, account, shortfall } = problem.params as Record<string, unknown>;
	const pool = typeof account === 'string' ? POOLS[account] : undefined;
	if (!pool || typeof entryId !== 'string' || typeof shortfall !== 'number') return null;
	if (!Number.isSafeInteger(shortfall) || shortfall <= 0) return null;
	return { entryId, shortfall, ...pool };
}

export interface DebtInput {
	memberId: string;
	overdraft: Overdraft;
	/** The entry that overdrew (its first ref is the sale, redemption or refund behind it). */
	cause: Pick<LedgerEntry, 'id' | 'refs'>;
	staffId: string;
	reason: string;
}

/** The debt entry that settles one overdraft; throws ledger.reasonRequired for a blank reason. */
export function debtForOverdraft(input: DebtInput, stamp: EntryStamp): LedgerEntry[] {
	if (!input.reason.trim()) throw new DomainError('ledger.reasonRequired', {});
	const { overdraft } = input;
	return stampEntries(
		input.memberId,
		[
			{
				account: overdraft.account,
				kind: 'debt',
				amount: overdraft.shortfall,
				refs: [input.cause.refs[0] ?? input.cause.id, input.staffId],
				reason: input.reason.trim(),
				...(overdraft.bucket ? { bucket: overdraft.bucket } : {})
			}
		],
		stamp
	);
}
