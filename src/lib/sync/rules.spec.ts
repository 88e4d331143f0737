import { describe, expect, it } from 'vitest';
import {
	compareVersions,
	decideWrite,
	envelope,
	firstLedgerCopy,
	resolveLww,
	toDocValue,
	toEnvelope,
	type Envelope
} from './rules';
import { ledgerChangeAllowed, stableStringify } from './protocol';

const member = (updatedAt: number, name = 'x') => ({ id: 'm1', name, updatedAt });
const v = (record: Record<string, unknown>, by: string): Envelope => envelope(record, by);
const doc = (record: Record<string, unknown>, by: string) => toDocValue(v(record, by));

describe('values in documents', () => {
	it('round-trips: the record plus schemaVersion and writtenBy, flat (a ledger value is the entry)', () => {
		const value = doc({ id: 'e1', amount: 5 }, 'dev-a');
		expect(value).toEqual({ id: 'e1', amount: 5, schemaVersion: 1, writtenBy: 'dev-a' });
		expect(toEnvelope(value)).toEqual({ schemaVersion: 1, by: 'dev-a', record: { id: 'e1', amount: 5 } });
	});

	it('reads a bare record (written before values had a version) as version 0', () => {
		expect(toEnvelope({ id: 'm1', name: 'a' })).toEqual({
			schemaVersion: 0,
			by: '',
			record: { id: 'm1', name: 'a' }
		});
	});

	it.each([null, 3, 'x', [], { name: 'no id' }, { id: 'm', schemaVersion: 'one', writtenBy: 'd' }])(
		'is not a record: %j',
		(raw) => expect(toEnvelope(raw)).toBeUndefined()
	);

	it('drops undefined members so values are plain JSON', () => {
		expect(envelope({ id: 'a', note: undefined }, 'd').record).toEqual({ id: 'a' });
	});
});

describe('stableStringify', () => {
	it('ignores key order and undefined members', () => {
		expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
			stableStringify({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 })
		);
	});
});

describe('lww order: updatedAt, then device id, then content', () => {
	it.each([
		[member(2), 'dev-a', member(1), 'dev-z', 1],
		[member(1), 'dev-z', member(2), 'dev-a', -1],
		[member(1), 'dev-b', member(1), 'dev-a', 1],
		[member(1, 'b'), 'dev-a', member(1, 'a'), 'dev-a', 1],
		[member(1), 'dev-a', member(1), 'dev-a', 0]
	] as const)('%j by %s vs %j by %s → %i', (a, byA, b, byB, sign) => {
		expect(Math.sign(compareVersions('members', v(a, byA), v(b, byB)))).toBe(sign);
	});

	it('ranks an anonymised profile change above the original', () => {
		const original = v({ id: 'c', from: '138', to: '139' }, 'dev-z');
		const blanked = v({ id: 'c', from: '', to: '' }, 'dev-a');
		expect(compareVersions('profileChanges', blanked, original)).toBe(1);
	});
});

describe('decideWrite', () => {
	it.each([
		['members', undefined, member(1), 'write'],
		['members', doc(member(1), 'dev-b'), member(1), 'same'],
		['members', doc(member(1), 'dev-b'), member(2), 'write'],
		['members', doc(member(3), 'dev-b'), member(2), 'keep'],
		['members', 'garbage', member(1), 'write'],
		['ledger', undefined, { id: 'e1', amount: 1 }, 'write'],
		['ledger', doc({ id: 'e1', amount: 1 }, 'dev-b'), { id: 'e1', amount: 1 }, 'same'],
		// A union record is never rewritten, whatever the local copy says (append-only).
		['ledger', doc({ id: 'e1', amount: 1 }, 'dev-b'), { id: 'e1', amount: 2 }, 'keep'],
		['ledger', 'garbage', { id: 'e1', amount: 1 }, 'keep']
	] as const)('%s: holds %j, local %j → %s', (table, existing, local, expected) => {
		expect(decideWrite(table, existing, v(local, 'dev-a'))).toBe(expected);
	});
});

describe('resolveLww (read path)', () => {
	const high = doc(member(5, 'new'), 'dev-a');
	const low = doc(member(3, 'old'), 'dev-b');

	it('materializes a higher incoming version', () => {
		expect(resolveLww('members', high, [low], undefined)).toEqual({
			materialize: toEnvelope(high),
			reassert: null
		});
	});

	it('puts a higher version back when Yjs chose a lower one, and keeps the higher one in the tables', () => {
		expect(resolveLww('members', low, [high], undefined)).toEqual({
			materialize: toEnvelope(high),
			reassert: toEnvelope(high)
		});
	});

	it('leaves the tables alone while a newer local edit waits in the outbox', () => {
		const local = v(member(9, 'mine'), 'dev-c');
		expect(resolveLww('members', high, [], local)).toEqual({ materialize: null, reassert: null });
	});

	it('lets a newer remote edit replace an older pending local one', () => {
		const local = v(member(1, 'mine'), 'dev-c');
		expect(resolveLww('members', high, [], local).materialize).toEqual(toEnvelope(high));
	});
});

describe('firstLedgerCopy', () => {
	it('keeps the canonically first copy of an id found in two documents', () => {
		const a = doc({ id: 'bday:m1:2026', createdAt: 10, deviceId: 'dev-b', seq: 4, amount: 100 }, 'dev-b');
		const b = doc({ id: 'bday:m1:2026', createdAt: 10, deviceId: 'dev-a', seq: 9, amount: 100 }, 'dev-a');
		expect(firstLedgerCopy([a, b])?.by).toBe('dev-a');
		expect(firstLedgerCopy([b, a])?.by).toBe('dev-a');
		expect(firstLedgerCopy([undefined, 'junk'])).toBeUndefined();
	});
});

describe('ledgerChangeAllowed (the relay and every peer)', () => {
	const entry = (over: Record<string, unknown> = {}) => ({
		id: 'e1',
		memberId: 'm1',
		account: 'points',
		kind: 'earn',
		amount: 10,
		deviceId: 'dev-a',
		seq: 1,
		createdAt: 5,
		schemaVersion: 1,
		writtenBy: 'dev-a',
		...over
	});
	it.each([
		['a new entry', 'e1', undefined, entry(), true],
		['the same entry again', 'e1', entry(), entry(), true],
		['a deletion', 'e1', entry(), undefined, false],
		['a changed amount', 'e1', entry(), entry({ amount: 11 }), false],
		['a changed stamp of a normal entry', 'e1', entry(), entry({ deviceId: 'dev-b', seq: 7 }), false],
		[
			'a birthday award booked by two tills',
			'bday:m1:2026',
			entry({ id: 'bday:m1:2026' }),
			entry({ id: 'bday:m1:2026', deviceId: 'dev-b', seq: 7, createdAt: 9, writtenBy: 'dev-b' }),
			true
		],
		[
			'an award with another amount',
			'bday:m1:2026',
			entry({ id: 'bday:m1:2026' }),
			entry({ id: 'bday:m1:2026', amount: 99 }),
			false
		]
	] as const)('%s', (_label, key, before, after, allowed) => {
		expect(ledgerChangeAllowed(key, before, after)).toBe(allowed);
	});
});
