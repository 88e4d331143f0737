import { describe, expect, it } from 'vitest';
import { readValue, toRecord } from './records';
import { envelope, toDocValue } from './rules';
import { profileFixture } from '$lib/domain/members/testHelpers';

const profile = profileFixture({ gender: 'female', updatedAt: 2 });
const entry = {
	id: 'e1',
	memberId: 'm1',
	account: 'points',
	kind: 'earn',
	amount: 10,
	deviceId: 'dev-a',
	seq: 1,
	createdAt: 5,
	refs: ['sale-1']
};
const value = (record: object, schemaVersion = 1) => ({
	...toDocValue(envelope(record, 'dev-a')),
	schemaVersion
});

describe('readValue', () => {
	it('validates a member profile and derives the indexed last four digits', () => {
		const read = readValue('members', 'm1', value(profile));
		expect(read).toMatchObject({ ok: true, newer: false, row: { ...profile, phoneLast4: '1234' } });
	});

	it('keeps the unknown fields of a newer version it can read, and says so', () => {
		const read = readValue('members', 'm1', value({ ...profile, wechatOpenId: 'o-123' }, 2));
		expect(read).toMatchObject({ ok: true, newer: true, row: { wechatOpenId: 'o-123' } });
	});

	it('reports a newer value it cannot read as newer, not invalid', () => {
		const read = readValue('members', 'm1', value({ ...profile, phone: { e164: '+8613800001234' } }, 2));
		expect(read).toMatchObject({ ok: false, reason: 'newer' });
	});

	it.each([
		['a bad phone', 'members', 'm1', { ...profile, phone: '12345' }],
		['a float amount', 'ledger', 'e1', { ...entry, amount: 1.5 }],
		['an adjustment without a reason (domain check)', 'ledger', 'e1', { ...entry, kind: 'adjustIn' }],
		['a value under another id', 'ledger', 'e2', entry],
		['a sale without lines', 'sales', 's1', { id: 's1' }]
	] as const)('refuses %s', (_label, table, id, record) => {
		expect(readValue(table, id, value(record))).toMatchObject({ ok: false, reason: 'invalid' });
	});

	it('reads a bare record of version 0 through the migrations', () => {
		expect(readValue('ledger', 'e1', entry)).toMatchObject({
			ok: true,
			value: { schemaVersion: 0 },
			row: entry
		});
	});

	it('says malformed for something that is no record at all', () => {
		expect(readValue('ledger', 'e1', 42)).toMatchObject({ ok: false, reason: 'malformed' });
	});
});

describe('toRecord', () => {
	it('leaves derived fields out of what is replicated', () => {
		expect(toRecord('members', { ...profile, phoneLast4: '1234' })).toEqual(profile);
	});
});
