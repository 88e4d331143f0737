/** Table-driven folds: FIFO by earning batch, expiry, debt-authorised overdrafts, duplicates and violations. */
import { describe, expect, it } from 'vitest';
import { batchesToConsume, dueExpiries, expiringSoon, foldPoints } from './fold';
import { entry, rows, stamp, type Row } from './testHelpers';
import type { LedgerEntry, PointsFold } from './types';

interface Case {
	name: string;
	table: Row[];
	/** Fold time; default 1000. */
	now?: number;
	balance?: number;
	/** entryId -> [spent, expired, remaining] */
	batches?: Record<string, [number, number, number]>;
	expiredUnrecorded?: number;
	deficit?: number;
	ignoredExpiry?: number;
	violation?: [string, string];
}

const cases: Case[] = [
	{ name: 'no entries', table: [], balance: 0, batches: {} },
	{ name: 'one earn', table: [['earn', 'A', 100, 1]], balance: 100, batches: { A: [0, 0, 100] } },
	{
		name: 'spend takes from the only batch',
		table: [
			['earn', 'A', 100, 1],
			['spend', 'S', 30, 2]
		],
		balance: 70,
		batches: { A: [30, 0, 70] }
	},
	{
		name: 'FIFO: the oldest batch first',
		table: [
			['earn', 'A', 100, 1],
			['earn', 'B', 100, 2],
			['spend', 'S', 150, 3]
		],
		balance: 50,
		batches: { A: [100, 0, 0], B: [50, 0, 50] }
	},
	{
		name: 'adjustOut and reverseEarn consume FIFO too',
		table: [
			['earn', 'A', 100, 1],
			['adjustIn', 'B', 50, 2],
			['adjustOut', 'O', 120, 3],
			['reverseEarn', 'R', 10, 4]
		],
		balance: 20,
		batches: { A: [100, 0, 0], B: [30, 0, 20] }
	},
	{
		name: 'refundIn is a new batch',
		table: [
			['earn', 'A', 100, 1],
			['spend', 'S', 100, 2],
			['refundIn', 'F', 40, 3]
		],
		balance: 40,
		batches: { A: [100, 0, 0], F: [0, 0, 40] }
	},
	{
		name: 'an expired batch is not spendable even before an expire entry: the spend skips it',
		table: [
			['earn', 'A', 100, 1, 10],
			['earn', 'B', 100, 2],
			['spend', 'S', 50, 20]
		],
		balance: 50,
		batches: { A: [0, 0, 100], B: [50, 0, 50] },
		expiredUnrecorded: 100
	},
	{
		name: 'expiresAt is exclusive: a spend at that instant cannot use the batch',
		table: [
			['earn', 'A', 100, 1, 10],
			['earn', 'B', 100, 2],
			['spend', 'S', 100, 10]
		],
		batches: { A: [0, 0, 100], B: [100, 0, 0] },
		balance: 0
	},
	{
		name: 'a spend before expiry uses the batch; the expire entry takes only the rest',
		table: [
			['earn', 'A', 100, 1, 10],
			['spend', 'S', 30, 5],
			['expire', 'X', 70, 11]
		],
		balance: 0,
		batches: { A: [30, 70, 0] },
		expiredUnrecorded: 0
	},
	{
		name: 'a second till recording the same expiry changes nothing',
		table: [
			['earn', 'A', 100, 1, 10],
			['earn', 'B', 5, 2],
			['expire', 'X1', 100, 11],
			['expire', 'X2', 100, 12]
		],
		balance: 5,
		batches: { A: [0, 100, 0], B: [0, 0, 5] },
		ignoredExpiry: 100
	},
	{
		name: 'an expire entry written before the expiry takes nothing',
		table: [
			['earn', 'A', 100, 1, 10],
			['expire', 'X', 100, 5]
		],
		now: 6,
		balance: 100,
		ignoredExpiry: 100
	},
	{
		name: 'expire takes the oldest expired batch, never a live one',
		table: [
			['earn', 'A', 60, 1, 10],
			['earn', 'B', 40, 2, 50],
			['expire', 'X', 100, 20]
		],
		now: 30,
		balance: 40,
		batches: { A: [0, 60, 0], B: [0, 0, 40] },
		ignoredExpiry: 40
	},
	{
		name: 'overdraft without a debt entry is a violation',
		table: [
			['earn', 'A', 100, 1],
			['spend', 'S', 120, 2]
		],
		violation: ['ledger.overdraft', 'S']
	},
	{
		name: 'spending an expired batch is an overdraft',
		table: [
			['earn', 'A', 100, 1, 10],
			['spend', 'S', 100, 11]
		],
		violation: ['ledger.overdraft', 'S']
	},
	{
		name: 'a debt entry authorises the overdraft: the balance goes negative',
		table: [
			['earn', 'A', 100, 1],
			['spend', 'S', 120, 2],
			['debt', 'D', 20, 2]
		],
		balance: -20,
		deficit: 20,
		batches: { A: [100, 0, 0] }
	},
	{
		name: 'a debt written after its spend (higher seq, later clock) still authorises it',
		table: [
			['spend', 'S', 30, 2],
			['debt', 'D', 30, 9]
		],
		balance: -30
	},
	{
		name: 'later earnings repay the overdraft first',
		table: [
			['spend', 'S', 30, 2],
			['debt', 'D', 30, 2],
			['earn', 'A', 50, 3]
		],
		balance: 20,
		deficit: 0,
		batches: { A: [30, 0, 20] }
	},
	{
		name: 'a repaid debt does not authorise a second overdraft',
		table: [
			['spend', 'S', 30, 2],
			['debt', 'D', 30, 2],
			['earn', 'A', 50, 3],
			['spend', 'S2', 40, 4]
		],
		violation: ['ledger.overdraft', 'S2']
	},
	{
		name: 'debt larger than the overdraft only allows up to its amount',
		table: [
			['debt', 'D', 50, 1],
			['spend', 'S', 60, 2]
		],
		violation: ['ledger.overdraft', 'S']
	},
	{
		name: 'stored-value entries are ignored by the points fold',
		table: [
			['earn', 'A', 100, 1],
			['topUp', 'T', 5000, 2, null, 'principal']
		],
		balance: 100
	}
];

function summary(f: PointsFold) {
	return Object.fromEntries(f.batches.map((b) => [b.entryId, [b.spent, b.expired, b.remaining]]));
}

describe('foldPoints', () => {
	it.each(cases)('$name', (c) => {
		const result = foldPoints(rows(c.table), c.now ?? 1000);
		if (c.violation) {
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.violation.code).toBe(c.violation[0]);
				expect(result.violation.params['entryId']).toBe(c.violation[1]);
			}
			return;
		}
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const f = result.value;
		if (c.balance !== undefined) expect(f.balance).toBe(c.balance);
		if (c.batches) expect(summary(f)).toEqual(c.batches);
		expect(f.expiredUnrecorded).toBe(c.expiredUnrecorded ?? f.expiredUnrecorded);
		expect(f.deficit).toBe(c.deficit ?? f.deficit);
		expect(f.ignoredExpiry).toBe(c.ignoredExpiry ?? 0);
	});

	it('does not trust refs: a spend naming the newer batch still takes the oldest', () => {
		const entries = rows([
			['earn', 'A', 100, 1],
			['earn', 'B', 100, 2],
			['spend', 'S', 50, 3]
		]);
		entries[2]!.refs = ['sale-1', 'B'];
		const f = foldPoints(entries, 10);
		expect(f.ok && summary(f.value)).toEqual({ A: [50, 0, 50], B: [0, 0, 100] });
	});

	it('counts a replayed entry once and ignores input order', () => {
		const entries = rows([
			['earn', 'A', 100, 1],
			['earn', 'B', 100, 2],
			['spend', 'S', 150, 3]
		]);
		const a = foldPoints(entries, 10);
		const b = foldPoints([entries[2]!, entries[1]!, entries[0]!, entries[2]!, entries[0]!], 10);
		expect(b).toEqual(a);
	});

	it('orders by (createdAt, deviceId, seq, id): an offline spend from earlier re-runs FIFO, same balance', () => {
		const online = rows([
			['earn', 'A', 100, 1],
			['earn', 'B', 100, 5],
			['spend', 'S1', 80, 6]
		]);
		const offline = entry('S0', { kind: 'spend', amount: 50, deviceId: 'd2', createdAt: 3 });
		const f = foldPoints([...online, offline], 10);
		expect(f.ok && summary(f.value)).toEqual({ A: [100, 0, 0], B: [30, 0, 70] });
		expect(f.ok && f.value.balance).toBe(70);
	});

	it('two copies of one id with different content: the canonically first wins, in any order', () => {
		const early = entry('bday:m1:2026', { amount: 50, deviceId: 'd1', createdAt: 5 });
		const late = entry('bday:m1:2026', { amount: 80, deviceId: 'd2', createdAt: 6 });
		for (const input of [
			[early, late],
			[late, early]
		]) {
			const f = foldPoints(input, 10);
			expect(f.ok && f.value.balance).toBe(50);
		}
	});

	it('reports an invalid entry as ledger.invalidEntry', () => {
		const f = foldPoints([entry('A'), entry('B', { amount: 1.5 })], 10);
		expect(f.ok ? null : [f.violation.code, f.violation.params]).toEqual([
			'ledger.invalidEntry',
			{ entryId: 'B', field: 'amount', value: '1.5' }
		]);
	});

	it('reports entries of another member', () => {
		const f = foldPoints([entry('A'), entry('B', { memberId: 'm2' })], 10);
		expect(f.ok ? null : f.violation.params).toEqual({ entryId: 'B', field: 'memberId', value: 'm2' });
	});
});

describe('expiringSoon and batchesToConsume', () => {
	const fold = foldPoints(
		rows([
			['earn', 'A', 100, 1, 10],
			['earn', 'B', 60, 2, 40],
			['earn', 'C', 30, 3, 200],
			['earn', 'D', 20, 4],
			['spend', 'S', 30, 5]
		]),
		8
	);
	const f = fold.ok ? fold.value : (null as never);

	it.each([
		[1, 0, []],
		[2, 70, ['A']],
		[32, 130, ['A', 'B']],
		[192, 160, ['A', 'B', 'C']]
	])('within %i ms: %i points', (within, points, ids) => {
		const soon = expiringSoon(f, within);
		expect(soon.points).toBe(points);
		expect(soon.batches.map((b) => b.entryId)).toEqual(ids);
	});

	it.each([
		[1, ['A']],
		[70, ['A']],
		[71, ['A', 'B']],
		[200, ['A', 'B', 'C', 'D']]
	])('a spend of %i takes %j', (amount, ids) => {
		expect(batchesToConsume(f, amount)).toEqual(ids);
	});
});

describe('dueExpiries', () => {
	const ledger = rows([
		['earn', 'A', 100, 1, 10],
		['earn', 'B', 60, 2, 20],
		['earn', 'C', 30, 3, 500],
		['spend', 'S', 30, 5]
	]);

	it('writes one expire per expired batch with points left, amount = remainder', () => {
		const due = dueExpiries(ledger, stamp(30));
		expect(due.ok && due.value.map((e) => [e.id, e.kind, e.amount, e.refs, e.seq, e.createdAt])).toEqual([
			['x1', 'expire', 70, ['A'], 100, 30],
			['x2', 'expire', 60, ['B'], 101, 30]
		]);
	});

	it('after appending them nothing more is due and the balance is unchanged', () => {
		const before = foldPoints(ledger, 30);
		const due = dueExpiries(ledger, stamp(30));
		const after = foldPoints([...ledger, ...(due.ok ? due.value : [])], 30);
		expect(after.ok && after.value.balance).toBe(before.ok && before.value.balance);
		expect(after.ok && after.value.expiredUnrecorded).toBe(0);
		const again = dueExpiries([...ledger, ...(due.ok ? due.value : [])], stamp(31));
		expect(again.ok && again.value).toEqual([]);
	});

	it('nothing is due before expiry, or on an empty ledger', () => {
		expect(dueExpiries(ledger, stamp(9))).toEqual({ ok: true, value: [] });
		expect(dueExpiries([], stamp(9))).toEqual({ ok: true, value: [] });
	});

	it('passes a broken ledger on as a violation', () => {
		const broken: LedgerEntry[] = [...ledger, entry('Z', { kind: 'spend', amount: 10_000, createdAt: 6 })];
		expect(dueExpiries(broken, stamp(30)).ok).toBe(false);
	});
});
