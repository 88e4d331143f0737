import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '$lib/domain/errors';
import { foldStoredValue } from '$lib/domain/ledger/fold';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { BranchlineDb } from './db';
import { useFreshDb } from './freshDb.testing';
import { commitOverdraftDebt } from './memberMoney';

let db: BranchlineDb;
useFreshDb('member-money', (fresh) => (db = fresh));

const NOW = Date.UTC(2026, 10, 27, 4);
const sv = (
	id: string,
	kind: LedgerEntry['kind'],
	amount: number,
	seq: number,
	refs = ['r']
): LedgerEntry => ({
	id,
	memberId: 'm1',
	account: 'storedValue',
	bucket: 'principal',
	kind,
	amount,
	deviceId: `till-${seq}`,
	seq,
	createdAt: NOW - 1000 + seq,
	refs
});

describe('commitOverdraftDebt', () => {
	it('settles the overdraft the ledger reports, once; a stale request changes nothing', async () => {
		// ¥100, then ¥70 spent at each of two offline tills.
		await db.ledger.bulkAdd([
			sv('t', 'topUp', 10000, 1),
			sv('a', 'spend', 7000, 2, ['sale-a']),
			sv('b', 'spend', 7000, 3, ['sale-b'])
		]);
		const overdraft = {
			entryId: 'b',
			account: 'storedValue' as const,
			bucket: 'principal' as const,
			shortfall: 4000
		};
		const input = { memberId: 'm1', overdraft, staffId: 'st-mgr', reason: '对账', deviceId: 'till-mgr' };

		expect(await commitOverdraftDebt(db, input)).toBeNull();
		const entries = await db.ledger.where('memberId').equals('m1').toArray();
		const debt = entries.find((e) => e.kind === 'debt');
		expect(debt).toMatchObject({ amount: 4000, refs: ['sale-b', 'st-mgr'], bucket: 'principal' });
		const folded = foldStoredValue(entries, NOW);
		expect(folded.ok && folded.value.total).toBe(-4000);
		expect((await db.outbox.toArray()).map((r) => `${r.table}:${r.recordId}`)).toEqual([
			`ledger:${debt?.id}`
		]);

		// The same request again (another manager, a double tap): nothing to settle any more.
		await expect(commitOverdraftDebt(db, input)).rejects.toThrow(DomainError);
		expect(await db.ledger.count()).toBe(4);
	});
});
