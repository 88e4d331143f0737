import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ean13FromBody } from '$lib/domain/barcode';
import type { Style, Variant } from '$lib/domain/catalog';
import { fen } from '$lib/domain/money';
import type { StockMovement } from '$lib/domain/sale';
import { findStyles, onHandBySkus, recentStyles, reserveCodes, styleStockSummaries } from './catalog';
import { BranchlineDb } from './db';
import { useFreshDb } from './freshDb.testing';

let db: BranchlineDb;
useFreshDb('catalog-screen', (fresh) => (db = fresh));

const style = (n: number, patch: Partial<Style> = {}): Style => ({
	id: `sty-${n}`,
	code: `BL26S-${String(n).padStart(4, '0')}`,
	name: `款式${n}`,
	categoryId: n % 2 === 0 ? 'cat-even' : 'cat-odd',
	season: '2026SS',
	isNewArrival: false,
	retailPrice: fen(9900),
	levelPrices: {},
	taxRateBp: 1300,
	pinyinInitials: `ks${n}`,
	active: true,
	updatedAt: n,
	...patch
});
const variant = (styleN: number, n: number): Variant => ({
	id: `sku-${styleN}-${n}`,
	styleId: `sty-${styleN}`,
	barcode: ean13FromBody(`69000${String(styleN).padStart(3, '0')}${String(n).padStart(4, '0')}`),
	size: `S${n}`,
	color: '黑',
	active: true,
	updatedAt: 1
});
const move = (skuId: string, branchId: string, qty: number, id: string): StockMovement => ({
	id,
	skuId,
	branchId,
	qty,
	kind: 'receive',
	refId: id,
	deviceId: 'dev',
	createdAt: 1
});

describe('catalog screen queries', () => {
	beforeEach(async () => {
		await db.styles.bulkAdd([
			...Array.from({ length: 60 }, (_, i) => style(i + 1)),
			style(61, { name: '纯棉圆领T恤', pinyinInitials: 'cmyltx', active: false })
		]);
		await db.variants.bulkAdd([variant(3, 1), variant(3, 2), variant(4, 1)]);
		await db.stock.bulkAdd([
			move('sku-3-1', 'br-1', 5, 'm1'),
			move('sku-3-1', 'br-1', -2, 'm2'),
			move('sku-3-2', 'br-1', 4, 'm3'),
			move('sku-3-2', 'br-2', 100, 'm4')
		]);
	});

	it('lists the 50 most recently updated styles, inactive ones too, newest first, by category', async () => {
		const recent = await recentStyles(db);
		expect(recent).toHaveLength(50);
		expect(recent[0]?.id).toBe('sty-61');
		expect(recent[1]?.id).toBe('sty-60');
		const even = await findStyles(db, '', 'cat-even', 5);
		expect(even.map((s) => s.id)).toEqual(['sty-60', 'sty-58', 'sty-56', 'sty-54', 'sty-52']);
	});

	it('finds by code prefix, pinyin initials, name and a scanned barcode, inactive styles included', async () => {
		expect((await findStyles(db, 'bl26s-000')).map((s) => s.id)).toHaveLength(9);
		expect((await findStyles(db, 'CMY')).map((s) => s.id)).toEqual(['sty-61']);
		expect((await findStyles(db, '圆领')).map((s) => s.id)).toEqual(['sty-61']);
		expect((await findStyles(db, variant(4, 1).barcode)).map((s) => s.id)).toEqual(['sty-4']);
		expect(await findStyles(db, 'cmy', 'cat-even')).toEqual([]);
	});

	it('sums SKUs and on-hand per style at one branch', async () => {
		const summaries = await styleStockSummaries(db, ['sty-3', 'sty-4', 'sty-5'], 'br-1');
		expect(Object.fromEntries(summaries)).toEqual({
			'sty-3': { variantCount: 2, onHand: 7 },
			'sty-4': { variantCount: 1, onHand: 0 },
			'sty-5': { variantCount: 0, onHand: 0 }
		});
		expect(Object.fromEntries(await onHandBySkus(db, ['sku-3-2'], 'br-2'))).toEqual({ 'sku-3-2': 100 });
	});

	it('reserves codes from a persisted per-till sequence, skipping codes in use', async () => {
		const make = (n: number) => ean13FromBody(`69000003${String(n).padStart(4, '0')}`);
		// variant(3, 1) and (3, 2) hold sequence numbers 1 and 2; the form holds 3.
		const first = await reserveCodes(db, 'barcode:test', 2, make, [make(3)]);
		expect(first).toEqual([make(4), make(5)]);
		expect(await reserveCodes(db, 'barcode:test', 1, make)).toEqual([make(6)]);
	});
});
