import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Cart } from '$lib/domain/cart';
import { BranchlineDb, type CartRow } from '$lib/storage/db';
import { CartSaver } from './cartSaver';
import { useFreshDb } from '$lib/storage/freshDb.testing';

let db: BranchlineDb;
useFreshDb('cart-saver', (fresh) => (db = fresh));

const row = (lines: number, memberId?: string): CartRow => {
	const cart: Cart = {
		id: 'cart-1',
		lines: Array.from({ length: lines }, (_, i) => ({
			lineId: `l${i}`,
			skuId: `sku-${i}`,
			qty: 1,
			addedAt: i
		})),
		createdAt: 0,
		updatedAt: lines,
		...(memberId ? { memberId } : {})
	} as Cart;
	return { id: 'cart-1', status: 'open', label: '', staffId: 's', cart, updatedAt: lines };
};

describe('CartSaver', () => {
	it('writes the newest cart of a burst, in order, with at most one write in flight', async () => {
		const errors: unknown[] = [];
		const saver = new CartSaver(db, (e) => errors.push(e));
		let writes = 0;
		db.carts.hook('creating', () => void writes++);
		db.carts.hook('updating', () => void writes++);
		for (let n = 1; n <= 10; n++) saver.save(row(n));
		await saver.flush();
		expect((await db.carts.get('cart-1'))?.cart.lines).toHaveLength(10);
		expect(writes).toBeLessThanOrEqual(2);
		saver.save(row(0));
		await saver.flush();
		expect(await db.carts.get('cart-1')).toBeUndefined();
		saver.save(row(0, 'mem-1'));
		await saver.flush();
		expect((await db.carts.get('cart-1'))?.cart.memberId).toBe('mem-1');
		expect(errors).toEqual([]);
	});

	it('never writes a cart dropped before its turn', async () => {
		const saver = new CartSaver(db, () => undefined);
		saver.save(row(1));
		saver.drop();
		await saver.flush();
		expect(await db.carts.count()).toBe(0);
	});
});
