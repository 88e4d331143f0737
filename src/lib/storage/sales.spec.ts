import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { fen, ZERO } from '$lib/domain/money';
import type { Sale, StockMovement } from '$lib/domain/sale';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { newCart } from '$lib/domain/cart';
import { BranchlineDb } from './db';
import { CartAlreadySoldError, commitSale, type SaleDraft } from './sales';
import { useFreshDb } from './freshDb.testing';

let db: BranchlineDb;
useFreshDb('sales-spec', (fresh) => (db = fresh));

const parts = { branchCode: 'B01', tillCode: 'T2', dateKey: '20261127' };

async function draft(id: string, extra: Partial<SaleDraft> = {}): Promise<SaleDraft> {
	const cartId = `cart-${id}`;
	await db.carts.put({
		id: cartId,
		status: 'open',
		label: '',
		staffId: 's',
		cart: newCart(cartId, 1),
		updatedAt: 1
	});
	const sale: Omit<Sale, 'number'> = {
		id,
		chainId: 'c',
		branchId: 'br-01',
		deviceId: 'dev-1',
		staffId: 's',
		staffName: '李娜',
		createdAt: 1_800_000_000_000,
		lines: [],
		listTotal: fen(1000),
		discountTotal: ZERO,
		roundingDiscount: ZERO,
		total: fen(1000),
		tenders: [{ id: 't', kind: 'cash', amount: fen(1000) }],
		change: ZERO,
		approvalIds: [],
		negativeStockSkuIds: []
	};
	const movement: StockMovement = {
		id: `mv-${id}`,
		skuId: 'sku-1',
		branchId: 'br-01',
		qty: -1,
		kind: 'sale',
		refId: id,
		deviceId: 'dev-1',
		createdAt: 1
	};
	return { sale, movements: [movement], approvals: [], cartId, ...extra };
}

describe('commitSale', () => {
	it('numbers sales per till and day, and writes sale, stock and outbox together', async () => {
		const first = await commitSale(db, await draft('s1'), parts);
		const second = await commitSale(db, await draft('s2'), parts);
		expect([first.number, second.number]).toEqual(['B01-T2-20261127-0001', 'B01-T2-20261127-0002']);
		expect(await db.stock.count()).toBe(2);
		// One outbox row per sale, naming its stock movements too (sync/writer.ts splits it).
		const outbox = await db.outbox.toArray();
		expect(outbox.map((r) => [r.table, r.recordId, r.also])).toEqual(
			expect.arrayContaining([
				['sales', first.id, [{ table: 'stock', recordIds: [`mv-${first.id}`] }]],
				['sales', second.id, [{ table: 'stock', recordIds: [`mv-${second.id}`] }]]
			])
		);
		expect(outbox).toHaveLength(2);
		expect(await db.carts.count()).toBe(0);
	});

	it('refuses to sell the same cart twice (double tap on 完成)', async () => {
		const d = await draft('s1');
		await commitSale(db, d, parts);
		await expect(commitSale(db, { ...d, sale: { ...d.sale, id: 's1-again' } }, parts)).rejects.toBeInstanceOf(
			CartAlreadySoldError
		);
		expect(await db.sales.count()).toBe(1);
	});

	it('writes nothing at all when any part fails (here: an overdraft of points)', async () => {
		const spend: LedgerEntry = {
			id: 'e1',
			memberId: 'm1',
			account: 'points',
			kind: 'spend',
			amount: 500,
			deviceId: 'dev-1',
			seq: 0,
			createdAt: 1_800_000_000_000,
			refs: ['s1']
		};
		const d = await draft('s1', { ledger: [spend] });
		d.sale = { ...d.sale, memberId: 'm1' };
		await expect(commitSale(db, d, parts)).rejects.toMatchObject({ code: 'ledger.overdraft' });
		expect(await db.sales.count()).toBe(0);
		expect(await db.stock.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.counters.count()).toBe(0);
		expect(await db.carts.count()).toBe(1); // the cart is still there to fix and retry
	});
});
