/** Builders shared by the ledger specs (test-only; nothing in the app imports this). */
import type { EntryStamp, LedgerEntry, LedgerKind, StoredValueBucket } from './types';

export const DAY = 86_400_000;
/** 2026-11-22 12:00 Beijing. */
export const NOW = Date.UTC(2026, 10, 22, 4);
export const CN = 480;

/** A valid points entry with defaults: member m1, device d1, seq 1, at NOW, refs ['r']; override anything. */
export function entry(id: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
	return {
		id,
		memberId: 'm1',
		account: 'points',
		kind: 'earn',
		amount: 100,
		deviceId: 'd1',
		seq: 1,
		createdAt: NOW,
		refs: ['r'],
		...over
	};
}

/** One row of a compact ledger table: [kind, id, amount, at, expiresAt?, bucket?]. */
export type Row = [LedgerKind, string, number, number, (number | null)?, StoredValueBucket?];

/**
 * Entries from a table, seq in row order on device d1. Stored-value rows (a bucket given) get account
 * storedValue; adjustments get a reason.
 */
export function rows(table: readonly Row[]): LedgerEntry[] {
	return table.map(([kind, id, amount, at, expiresAt, bucket], i) => ({
		id,
		memberId: 'm1',
		account: bucket ? 'storedValue' : 'points',
		kind,
		amount,
		deviceId: 'd1',
		seq: i + 1,
		createdAt: at,
		refs: ['r'],
		...(expiresAt == null ? {} : { expiresAt }),
		...(bucket ? { bucket } : {}),
		...(kind === 'adjustIn' || kind === 'adjustOut' ? { reason: 'count correction' } : {})
	}));
}

/** A stamp with ids x1, x2, … on device d9 starting at seq 100. */
export function stamp(now = NOW): EntryStamp {
	let n = 0;
	return { deviceId: 'd9', seq: 100, now, newId: () => `x${++n}` };
}
