/** Open and suspended carts. The open cart is saved after every change so a reload or crash restores it. */
import type { Cart } from '$lib/domain/cart';
import type { BranchlineDb, CartRow } from './db';
import { parseStoredCart } from '$lib/schema/cart';

/** The open cart of this till, if any; a row that fails validation is kept aside, never half-loaded. */
export async function loadOpenCart(db: BranchlineDb): Promise<{ row: CartRow; cart: Cart } | undefined> {
	const rows = await db.carts.where('status').equals('open').toArray();
	rows.sort((a, b) => b.updatedAt - a.updatedAt);
	for (const row of rows) {
		const cart = parseStoredCart(row.cart);
		if (cart) return { row, cart };
	}
	return undefined;
}

export async function saveCart(db: BranchlineDb, row: CartRow): Promise<void> {
	await db.carts.put(row);
}

export async function listSuspended(db: BranchlineDb): Promise<CartRow[]> {
	const rows = await db.carts.where('status').equals('suspended').toArray();
	return rows.sort((a, b) => a.updatedAt - b.updatedAt);
}

/** Swaps which cart is open: the current one is suspended and the chosen one opened, atomically. */
export async function resumeCart(db: BranchlineDb, suspendedId: string, current?: CartRow): Promise<CartRow> {
	return db.transaction('rw', db.carts, async () => {
		const row = await db.carts.get(suspendedId);
		if (!row || row.status !== 'suspended') throw new Error('cart is no longer suspended');
		if (current && current.cart.lines.length > 0) await db.carts.put({ ...current, status: 'suspended' });
		else if (current) await db.carts.delete(current.id);
		const opened: CartRow = { ...row, status: 'open', updatedAt: Date.now() };
		await db.carts.put(opened);
		return opened;
	});
}

export async function deleteCart(db: BranchlineDb, id: string): Promise<void> {
	await db.carts.delete(id);
}
