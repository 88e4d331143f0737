import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Style, Variant } from '$lib/domain/catalog';
import { fen } from '$lib/domain/money';
import { BranchlineDb } from './db';
import { SkuIndex } from './skuIndex';

let db: BranchlineDb;
let index: SkuIndex;
let seq = 0;
beforeEach(() => {
	db = new BranchlineDb(`sku-index-${++seq}`);
	index = new SkuIndex(db);
});
afterEach(async () => {
	index.stop();
	db.close();
	await db.delete();
});

const style = (n: number, patch: Partial<Style> = {}): Style => ({
	id: `sty-${String(n).padStart(5, '0')}`,
	code: `BL26S-${n}`,
	name: `款式${n}`,
	categoryId: 'cat',
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
const variant = (styleN: number, barcode: string): Variant => ({
	id: `sku-${barcode}`,
	styleId: `sty-${String(styleN).padStart(5, '0')}`,
	barcode,
	size: 'M',
	color: '黑',
	active: true,
	updatedAt: 1
});
const until = async (check: () => boolean) => {
	for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(check()).toBe(true);
};

describe('SkuIndex', () => {
	it('answers undefined until loaded, then finds every SKU by barcode (UPC-A as EAN-13 too), across pages', async () => {
		const styles = Array.from({ length: 2_100 }, (_, i) => style(i));
		const variants = styles.map((_, i) => variant(i, `69${String(i).padStart(11, '0')}`));
		variants.push(variant(7, '0123456789012'));
		await db.styles.bulkPut(styles);
		await db.variants.bulkPut(variants);
		expect(index.lookup('6900000000001')).toBeUndefined();
		await index.start();
		expect(index.complete).toBe(true);
		expect(index.lookup('6900000002099')?.style.id).toBe('sty-02099');
		expect(index.lookup('6900000000001')?.variant.id).toBe('sku-6900000000001');
		expect(index.lookup('123456789012')?.variant.barcode).toBe('0123456789012');
		expect(index.lookup('6999999999999')).toBeNull();
	});

	it('forgets everything on a catalog change and reloads it, so a new price or barcode is never missed', async () => {
		await db.styles.put(style(1));
		await db.variants.put(variant(1, '6900000000001'));
		await index.start();
		expect(index.lookup('6900000000001')?.style.retailPrice).toBe(9900);
		await db.styles.put(style(1, { retailPrice: fen(12900) }));
		// Straight after the write the index refuses to answer (the caller reads IndexedDB) ...
		await until(() => !index.complete);
		expect(index.lookup('6900000000001')).toBeUndefined();
		// ... and once reloaded it has the new price.
		await until(() => index.complete);
		expect(index.lookup('6900000000001')?.style.retailPrice).toBe(12900);
		await db.variants.put(variant(1, '6900000000002'));
		await until(() => !index.complete);
		await until(() => index.complete);
		expect(index.lookup('6900000000002')?.variant.styleId).toBe('sty-00001');
	});
});
