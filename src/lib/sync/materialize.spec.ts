import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BranchlineDb } from '$lib/storage/db';
import { useFreshDb } from '$lib/storage/freshDb.testing';
import { CHECKPOINT_PREFIX, DUPLICATE_PHONES_KEY, materialize, type ChangedKey } from './materialize';
import { envelope, toDocValue } from './rules';
import { profileFixture } from '$lib/domain/members/testHelpers';

let db: BranchlineDb;
useFreshDb('materialize', (fresh) => (db = fresh));

const profile = (id: string, phone: string, updatedAt = 1, name = '王芳') =>
	profileFixture({ id, code: `M${id}`, phone, name, updatedAt });
const entry = (id: string, amount = 10) => ({
	id,
	memberId: 'm1',
	account: 'points',
	kind: 'earn',
	amount,
	deviceId: 'dev-b',
	seq: 1,
	createdAt: 5,
	refs: ['sale-1']
});
const change = (
	map: string,
	key: string,
	record: object,
	by = 'dev-b',
	seen: unknown[] = []
): ChangedKey => ({
	doc: map === 'entries' ? 'c/ledger/0/202603' : 'c/members/0',
	map,
	key,
	current: toDocValue(envelope(record, by)),
	seen
});
const run = (changes: ChangedKey[], checkpoints?: Map<string, Uint8Array>) =>
	materialize(db, changes, { deviceId: 'dev-a', ...(checkpoints ? { checkpoints } : {}) });

describe('materialize', () => {
	it('writes valid rows, skips and counts invalid ones, stores the checkpoint in the same transaction', async () => {
		const result = await run(
			[
				change('records', 'members/m1', profile('m1', '13800000001')),
				change('entries', 'e1', entry('e1')),
				change('entries', 'e2', { ...entry('e2'), amount: -3 }),
				change('records', 'futureThing/x', { id: 'x' })
			],
			new Map([['c/members/0', new Uint8Array([1, 2, 3])]])
		);
		expect(result.written).toBe(2);
		expect(result.skipped).toMatchObject({ invalid: 1, unknown: 1 });
		expect(await db.members.get('m1')).toMatchObject({ phoneLast4: '0001' });
		expect(await db.ledger.get('e2')).toBeUndefined();
		expect((await db.meta.get(CHECKPOINT_PREFIX + 'c/members/0'))?.value).toEqual(new Uint8Array([1, 2, 3]));
		expect(result.tables.sort()).toEqual(['ledger', 'members']);
	});

	it('writes nothing of a batch whose transaction fails half-way', async () => {
		// The checkpoint is written last; one that cannot be stored aborts the rows written before it.
		const poisoned = new Map([['c/members/0', (() => 1) as unknown as Uint8Array]]);
		await expect(
			run([change('records', 'members/m1', profile('m1', '13800000001'))], poisoned)
		).rejects.toThrow();
		expect(await db.members.get('m1')).toBeUndefined();
	});

	it('refuses a barcode that another variant holds, and reports the conflict', async () => {
		const variant = (id: string) => ({
			id,
			styleId: 's1',
			barcode: '6901234567892',
			size: 'M',
			color: '黑',
			active: true,
			updatedAt: 1
		});
		await db.variants.put(variant('v1'));
		const result = await run([change('records', 'variants/v2', variant('v2'))]);
		expect(result.skipped.conflict).toBe(1);
		expect(await db.variants.get('v2')).toBeUndefined();
	});

	it('keeps both members of a phone enrolled at two branches and marks the phone', async () => {
		await run([change('records', 'members/m1', profile('m1', '13800000001'))]);
		const result = await run([change('records', 'members/m2', profile('m2', '13800000001'))]);
		expect(result.duplicatePhones).toEqual(['13800000001']);
		expect(await db.members.where('phone').equals('13800000001').count()).toBe(2);
		expect((await db.meta.get(DUPLICATE_PHONES_KEY))?.value).toEqual(['13800000001']);
	});

	it('leaves a newer local edit that waits in the outbox, and takes an older one over', async () => {
		await db.members.put({ ...profile('m1', '13800000001', 50, '本地'), phoneLast4: '0001' } as never);
		await db.outbox.add({ id: 'o1', table: 'members', recordId: 'm1', createdAt: 50 });
		await run([change('records', 'members/m1', profile('m1', '13800000001', 40, '远程'))]);
		expect((await db.members.get('m1'))?.name).toBe('本地');
		await run([change('records', 'members/m1', profile('m1', '13800000001', 60, '更新'))]);
		expect((await db.members.get('m1'))?.name).toBe('更新');
	});

	it('asks to put back a higher version that Yjs replaced with a lower one', async () => {
		const higher = toDocValue(envelope(profile('m1', '13800000001', 9, '高'), 'dev-z'));
		const result = await run([
			change('records', 'members/m1', profile('m1', '13800000001', 3, '低'), 'dev-b', [higher])
		]);
		expect(result.reassert).toHaveLength(1);
		expect(result.reassert[0]?.value.record.name).toBe('高');
		expect((await db.members.get('m1'))?.name).toBe('高');
	});

	it('mirrors the document copy of an entry id (append-only: the first copy in the document wins)', async () => {
		await db.ledger.put({ ...entry('bday:m1:2026', 100), deviceId: 'dev-a', seq: 3 } as never);
		await run([change('entries', 'bday:m1:2026', { ...entry('bday:m1:2026', 100), deviceId: 'dev-b' })]);
		expect((await db.ledger.get('bday:m1:2026'))?.deviceId).toBe('dev-b');
	});
});
