import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ean13FromBody } from '$lib/domain/barcode';
import type { Category, MemberLevel, Style, Variant } from '$lib/domain/catalog';
import { importCatalogCsv, type CatalogImportContext } from '$lib/domain/catalogImport';
import { toCsv } from '$lib/domain/csv';
import { DuplicateBarcodeError, StyleCodeTakenError } from './catalog';
import { catalogExportRows, catalogImportLookups, commitCatalogImport } from './catalogImport';
import { BranchlineDb } from './db';
import { newId } from './ids';

const categories: Category[] = [
	{ id: 'cat-shirt', name: '衬衫' },
	{ id: 'cat-knit', name: '毛衫' }
];
const levels: MemberLevel[] = [
	{ id: 'lvl-regular', name: '普通会员', rank: 0 },
	{ id: 'lvl-gold', name: '金卡会员', rank: 2 }
];
const code = (n: number) => ean13FromBody(`2009${String(n).padStart(8, '0')}`);

let db: BranchlineDb;
let seq = 0;
beforeEach(() => {
	db = new BranchlineDb(`catalog-import-${++seq}`);
});
afterEach(async () => {
	db.close();
	await db.delete();
});

async function check(text: string): Promise<ReturnType<typeof importCatalogCsv>> {
	const lookups = await catalogImportLookups(db);
	const ctx: CatalogImportContext = {
		categories,
		existingBarcodes: lookups.barcodes,
		existingStyleCodes: lookups.styleCodes,
		levelIds: new Set(levels.map((l) => l.id)),
		newId: () => newId(),
		pinyinInitials: (name) => name.length.toString(),
		now: 1_000
	};
	return importCatalogCsv(text, ctx);
}

const csv = (...rows: string[]) =>
	[
		'style_code,name,category,season,new_arrival,retail_price,size,color,barcode,level_price:lvl-gold',
		...rows
	].join('\n');

describe('catalog import storage', () => {
	it('commits the valid rows with outbox rows; bad rows import nothing of themselves', async () => {
		const result = await check(
			csv(
				`A-1,牛津纺衬衫,衬衫,2026SS,1,159,M,蓝色,${code(1)},139`,
				`A-1,牛津纺衬衫,衬衫,2026SS,1,169,XL,蓝色,${code(2)},139`,
				`B-1,坏条码,衬衫,2026SS,0,99,L,白色,2009000000030,`,
				`C-1,没有分类,大衣,2026SS,0,99,L,白色,${code(4)},`
			)
		);
		expect(result.errors.map((e) => [e.line, e.code])).toEqual([
			[4, 'catalog.badCheckDigit'],
			[5, 'catalog.unknownCategory']
		]);
		await commitCatalogImport(db, result.styles, result.variants, 2_000);
		expect(await db.styles.count()).toBe(1);
		expect(await db.variants.count()).toBe(2);
		const outbox = await db.outbox.toArray();
		expect(outbox.map((o) => o.table).sort()).toEqual(['styles', 'variants', 'variants']);
		expect(outbox.every((o) => o.createdAt === 2_000)).toBe(true);

		// The same file again: everything now exists, so nothing is importable.
		const again = await check(csv(`A-1,牛津纺衬衫,衬衫,2026SS,1,159,M,蓝色,${code(1)},139`));
		expect(again.errors.map((e) => e.code).sort()).toEqual([
			'catalog.duplicateBarcode',
			'catalog.styleExists'
		]);
	});

	it('writes nothing when a code was taken between checking and importing', async () => {
		const result = await check(
			csv(`A-1,衬衫一,衬衫,,0,100,M,蓝色,${code(1)},`, `B-1,衬衫二,衬衫,,0,100,M,蓝色,${code(2)},`)
		);
		const sneaky: Variant = {
			id: 'sku-other',
			styleId: 'sty-other',
			barcode: code(2), // the same code, added by another tab meanwhile
			size: 'S',
			color: '黑',
			active: true,
			updatedAt: 1
		};
		await db.variants.add(sneaky);
		await expect(commitCatalogImport(db, result.styles, result.variants)).rejects.toBeInstanceOf(
			DuplicateBarcodeError
		);
		expect(await db.styles.count()).toBe(0);
		expect(await db.variants.count()).toBe(1);
		expect(await db.outbox.count()).toBe(0);

		await db.variants.clear();
		const first = result.styles[0] as Style;
		await db.styles.add({ ...first, id: 'sty-taken' });
		await expect(commitCatalogImport(db, result.styles, result.variants)).rejects.toBeInstanceOf(
			StyleCodeTakenError
		);
		expect(await db.styles.count()).toBe(1);
		expect(await db.variants.count()).toBe(0);
	});

	it('exports the catalog in the import columns, so the file reads back as the same catalog', async () => {
		const source = await check(
			csv(
				`A-1,"牛津纺衬衫, 长袖",衬衫,2026SS,1,169,XL,蓝色,${code(2)},139`,
				`A-1,"牛津纺衬衫, 长袖",衬衫,2026SS,1,159,M,蓝色,${code(1)},139`,
				`K-9,羊毛开衫,毛衫,2026AW,0,299.50,均码,驼色,${code(3)},`
			)
		);
		expect(source.errors).toEqual([]);
		await commitCatalogImport(db, source.styles, source.variants);

		const rows = await catalogExportRows(db, categories, levels);
		expect(rows[0]).toEqual([
			'style_code',
			'name',
			'category',
			'season',
			'new_arrival',
			'retail_price',
			'size',
			'color',
			'barcode',
			'level_price:lvl-regular',
			'level_price:lvl-gold'
		]);
		expect(rows).toHaveLength(4);

		const fresh = new BranchlineDb(`catalog-import-copy-${seq}`);
		try {
			const original = db;
			db = fresh;
			const copy = await check(toCsv(rows));
			db = original;
			expect(copy.errors).toEqual([]);
			const shape = (styles: Style[], variants: Variant[]) =>
				styles
					.map((s) => ({
						code: s.code,
						name: s.name,
						categoryId: s.categoryId,
						retail: s.retailPrice,
						levels: s.levelPrices,
						variants: variants
							.filter((v) => v.styleId === s.id)
							.map((v) => `${v.barcode}/${v.size}/${v.color}/${v.retailPrice ?? '-'}`)
							.sort()
					}))
					.sort((a, b) => a.code.localeCompare(b.code));
			expect(shape(copy.styles, copy.variants)).toEqual(shape(source.styles, source.variants));
		} finally {
			fresh.close();
			await fresh.delete();
		}
	});
});
