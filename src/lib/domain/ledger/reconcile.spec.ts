import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { foldPoints, foldStoredValue } from './fold';
import { debtForOverdraft, overdraftOf } from './reconcile';
import { entry, NOW } from './testHelpers';
import type { LedgerEntry } from './types';

const stamp = { deviceId: 'manager-till', seq: 9, now: NOW + 60_000, newId: () => 'debt-1' };

/** ¥100 principal topped up, then ¥80 spent at branch A and ¥70 at branch B while both were offline. */
const storedValue: LedgerEntry[] = [
	entry('t', {
		account: 'storedValue',
		bucket: 'principal',
		kind: 'topUp',
		amount: 10000,
		createdAt: NOW - 10
	}),
	entry('a', { account: 'storedValue', bucket: 'principal', kind: 'spend', amount: 8000, refs: ['sale-a'] }),
	entry('b', {
		account: 'storedValue',
		bucket: 'principal',
		kind: 'spend',
		amount: 7000,
		refs: ['sale-b'],
		seq: 2
	})
];

describe('settling an offline overdraft', () => {
	it('turns the fold’s refusal into a debt that authorises the spend; the balance shows what is owed', () => {
		const before = foldStoredValue(storedValue, NOW);
		expect(before.ok).toBe(false);
		const overdraft = overdraftOf(before.ok ? null : before.violation);
		expect(overdraft).toEqual({ entryId: 'b', account: 'storedValue', bucket: 'principal', shortfall: 5000 });
		const cause = storedValue.find((e) => e.id === overdraft?.entryId);
		const debt = debtForOverdraft(
			{ memberId: 'm1', overdraft: overdraft!, cause: cause!, staffId: 'st-mgr', reason: '两店离线同时消费' },
			stamp
		);
		expect(debt).toEqual([
			expect.objectContaining({
				id: 'debt-1',
				account: 'storedValue',
				bucket: 'principal',
				kind: 'debt',
				amount: 5000,
				refs: ['sale-b', 'st-mgr'],
				reason: '两店离线同时消费'
			})
		]);
		const after = foldStoredValue([...storedValue, ...debt], NOW + 60_000);
		expect(after.ok && after.value.principal).toBe(-5000);
		// A later top-up repays the debt first.
		const topUp = entry('t2', {
			account: 'storedValue',
			bucket: 'principal',
			kind: 'topUp',
			amount: 20000,
			createdAt: NOW + 120_000,
			seq: 3
		});
		const repaid = foldStoredValue([...storedValue, ...debt, topUp], NOW + 120_000);
		expect(repaid.ok && repaid.value.principal).toBe(15000);
	});

	it('settles points the same way', () => {
		const points = [
			entry('e', { amount: 500, createdAt: NOW - 10 }),
			entry('s1', { kind: 'spend', amount: 400, refs: ['sale-1'] }),
			entry('s2', { kind: 'spend', amount: 300, refs: ['sale-2'], seq: 2 })
		];
		const folded = foldPoints(points, NOW);
		const overdraft = overdraftOf(folded.ok ? null : folded.violation);
		expect(overdraft).toEqual({ entryId: 's2', account: 'points', shortfall: 200 });
		const debt = debtForOverdraft(
			{ memberId: 'm1', overdraft: overdraft!, cause: points[2]!, staffId: 'st-mgr', reason: '对账' },
			stamp
		);
		const after = foldPoints([...points, ...debt], NOW);
		expect(after.ok && after.value.balance).toBe(-200);
	});

	it.each([
		[
			'another problem',
			new DomainError('ledger.invalidEntry', { entryId: 'x', field: 'amount', value: '0' })
		],
		['an unknown pool', new DomainError('ledger.overdraft', { entryId: 'x', account: 'cash', shortfall: 5 })],
		[
			'a zero shortfall',
			new DomainError('ledger.overdraft', { entryId: 'x', account: 'points', shortfall: 0 })
		],
		['not a domain error', new Error('boom')]
	])('reads no overdraft from %s', (_name, problem) => {
		expect(overdraftOf(problem)).toBeNull();
	});

	it('needs a reason', () => {
		expect(() =>
			debtForOverdraft(
				{
					memberId: 'm1',
					overdraft: { entryId: 'b', account: 'points', shortfall: 5 },
					cause: { id: 'b', refs: ['s'] },
					staffId: 'st',
					reason: '  '
				},
				stamp
			)
		).toThrow(DomainError);
	});
});
