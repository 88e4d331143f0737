import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { BranchlineDb, SCHEMA_V1 } from './db';

const name = 'db-upgrade';
afterEach(async () => {
	await Dexie.delete(name);
});

describe('schema upgrade', () => {
	it('opens a version 1 database as version 2: rows kept, unused indexes gone, old outbox rows still readable', async () => {
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		await v1
			.table('sales')
			.put({ id: 's1', number: 'B01-T1-20261127-0001', branchId: 'br-01', createdAt: 5 });
		await v1.table('stock').bulkPut([
			{ id: 'm1', skuId: 'sku-1', branchId: 'br-01', qty: -1, refId: 's1', createdAt: 5 },
			{ id: 'm2', skuId: 'sku-1', branchId: 'br-01', qty: 3, refId: 'r1', createdAt: 4 }
		]);
		await v1.table('outbox').bulkPut([
			{ id: 'o1', table: 'sales', recordId: 's1', createdAt: 5 },
			{ id: 'o2', table: 'stock', recordId: 'm1', createdAt: 5 }
		]);
		await v1.table('carts').put({ id: 'c1', status: 'open', label: '', staffId: '', cart: {}, updatedAt: 9 });
		v1.close();

		const db = new BranchlineDb(name);
		await db.open();
		expect(db.verno).toBe(2);
		const indexes = (table: string) =>
			db
				.table(table)
				.schema.indexes.map((i) => i.name)
				.sort();
		expect(indexes('stock')).toEqual(['[skuId+branchId]']);
		expect(indexes('sales')).toEqual(['[branchId+createdAt]', 'memberId', 'number']);
		expect(indexes('outbox')).toEqual(['table']);
		expect(indexes('carts')).toEqual(['status']);
		expect(indexes('approvals')).toEqual([]);
		expect(await db.sales.where('number').equals('B01-T1-20261127-0001').count()).toBe(1);
		expect(await db.stock.where('[skuId+branchId]').equals(['sku-1', 'br-01']).toArray()).toHaveLength(2);
		expect((await db.outbox.where('table').equals('stock').toArray()).map((r) => r.recordId)).toEqual(['m1']);
		expect((await db.carts.where('status').equals('open').first())?.id).toBe('c1');
		db.close();
	});
});
