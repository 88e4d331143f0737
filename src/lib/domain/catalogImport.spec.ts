import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ean13FromBody } from './barcode';
import { catalogCsvHeader, importCatalogCsv, type CatalogImportContext } from './catalogImport';
import { toCsv } from './csv';

const HEADER = 'style_code,name,category,season,new_arrival,retail_price,size,color,barcode,level_price:gold';
const B = (n: number) => ean13FromBody(`690000${String(n).padStart(6, '0')}`);

function ctx(overrides: Partial<CatalogImportContext> = {}): CatalogImportContext {
	let n = 0;
	return {
		categories: [
			{ id: 'cat-tee', name: 'T恤' },
			{ id: 'cat-pants', name: '裤子' },
			{ id: 'dup1', name: '配饰' },
			{ id: 'dup2', name: '配饰' }
		],
		existingBarcodes: new Set([B(999), '0036000291452']),
		existingStyleCodes: new Set(['OLD-1']),
		levelIds: new Set(['gold', 'silver']),
		newId: () => `id${++n}`,
		pinyinInitials: (name) => (name === '纯棉T恤' ? 'cmtx' : 'x'),
		now: 1000,
		...overrides
	};
}

const run = (rows: string[], c = ctx()) => importCatalogCsv([HEADER, ...rows].join('\n'), c);
const errorsOf = (rows: string[], c = ctx()) => run(rows, c).errors.map((e) => [e.line, e.field, e.code]);

describe('importCatalog: happy path', () => {
	it('merges rows of one style, keeps variant prices, level prices and ids from the caller', () => {
		const result = run([
			`BL-1,纯棉T恤,T恤,2026SS,是,99,M,白,${B(1)},89`,
			`BL-1,纯棉T恤,T恤,2026SS,是,109.00,XXL,白,${B(2)},89`,
			`BL-2,直筒裤,cat-pants,,0,"¥1,299.5",32,黑,JEANS-32,`
		]);
		expect(result.errors).toEqual([]);
		expect(result.styles).toEqual([
			{
				id: 'id1',
				code: 'BL-1',
				name: '纯棉T恤',
				categoryId: 'cat-tee',
				season: '2026SS',
				isNewArrival: true,
				retailPrice: 9900,
				levelPrices: { gold: 8900 },
				taxRateBp: 1300,
				pinyinInitials: 'cmtx',
				active: true,
				updatedAt: 1000
			},
			expect.objectContaining({
				id: 'id4',
				code: 'BL-2',
				categoryId: 'cat-pants',
				isNewArrival: false,
				retailPrice: 129950,
				levelPrices: {}
			})
		]);
		expect(result.variants).toEqual([
			{ id: 'id2', styleId: 'id1', barcode: B(1), size: 'M', color: '白', active: true, updatedAt: 1000 },
			{
				id: 'id3',
				styleId: 'id1',
				barcode: B(2),
				size: 'XXL',
				color: '白',
				retailPrice: 10900,
				active: true,
				updatedAt: 1000
			},
			expect.objectContaining({ id: 'id5', styleId: 'id4', barcode: 'JEANS-32' })
		]);
	});

	it('accepts columns in any order and case, and a CRLF file with BOM', () => {
		const text =
			'\uFEFFBarcode,Style_Code,NAME,category,season,new_arrival,retail_price,size,color\r\n' +
			`${B(1)},BL-1,T,T恤,,,99,M,白\r\n`;
		const result = importCatalogCsv(text, ctx());
		expect(result.errors).toEqual([]);
		expect(result.variants).toHaveLength(1);
	});

	it('reads back a file written by toCsv (BOM, CRLF, quoted commas)', () => {
		const text = toCsv([
			catalogCsvHeader(['gold']),
			['BL-9', '短袖, 宽松', 'T恤', '2026SS', 'no', '59.9', 'L', '蓝', B(9), '']
		]);
		const result = importCatalogCsv(text, ctx());
		expect(result.errors).toEqual([]);
		expect(result.styles[0]?.name).toBe('短袖, 宽松');
	});
});

describe('importCatalog: header problems stop the import', () => {
	it.each([
		['missing column', 'style_code,name,category,season,new_arrival,retail_price,size,color', 'barcode'],
		['unknown column', `${HEADER},remark`, 'remark'],
		['typo', HEADER.replace('new_arrival', 'new_arival'), 'new_arival'],
		['duplicate column', `${HEADER},barcode`, 'barcode'],
		['unknown level', `${HEADER},level_price:platinum`, 'level_price:platinum'],
		['empty level id', `${HEADER},level_price:`, 'level_price:']
	])('%s', (_name, header, column) => {
		const result = importCatalogCsv(`${header}\nBL-1,T,T恤,,,99,M,白,${B(1)}`, ctx());
		expect(result.styles).toEqual([]);
		expect(result.errors).toContainEqual(
			expect.objectContaining({ line: 1, code: 'csv.badHeader', params: expect.objectContaining({ column }) })
		);
	});

	it('an empty file asks for the header', () => {
		expect(importCatalogCsv('', ctx()).errors).toEqual([
			expect.objectContaining({ line: 1, code: 'csv.badHeader' })
		]);
	});

	it('a CSV syntax error is reported with its line', () => {
		const result = importCatalogCsv(`${HEADER}\nBL-1,"T,T恤`, ctx());
		expect(result.errors).toEqual([{ line: 2, code: 'csv.unterminatedQuote', params: { line: 2 } }]);
	});
});

describe('importCatalog: row problems', () => {
	it.each([
		['missing name', `BL-1,,T恤,,,99,M,白,${B(1)},`, [[2, 'name', 'catalog.missingField']]],
		['unknown category', `BL-1,T,外套,,,99,M,白,${B(1)},`, [[2, 'category', 'catalog.unknownCategory']]],
		[
			'ambiguous category name',
			`BL-1,T,配饰,,,99,M,白,${B(1)},`,
			[[2, 'category', 'catalog.unknownCategory']]
		],
		['category by id', `BL-1,T,dup2,,,99,M,白,${B(1)},`, []],
		['bad flag', `BL-1,T,T恤,,maybe,99,M,白,${B(1)},`, [[2, 'new_arrival', 'catalog.badValue']]],
		['bad price', `BL-1,T,T恤,,,12.345,M,白,${B(1)},`, [[2, 'retail_price', 'catalog.badPrice']]],
		['zero price', `BL-1,T,T恤,,,0,M,白,${B(1)},`, [[2, 'retail_price', 'catalog.badPrice']]],
		['negative price', `BL-1,T,T恤,,,-5,M,白,${B(1)},`, [[2, 'retail_price', 'catalog.badPrice']]],
		['bad level price', `BL-1,T,T恤,,,99,M,白,${B(1)},abc`, [[2, 'level_price:gold', 'catalog.badPrice']]],
		[
			'level above retail',
			`BL-1,T,T恤,,,99,M,白,${B(1)},100`,
			[[2, 'level_price:gold', 'catalog.levelPriceAboveRetail']]
		],
		['bad check digit', 'BL-1,T,T恤,,,99,M,白,6901234567893,', [[2, 'barcode', 'catalog.badCheckDigit']]],
		[
			'Excel scientific notation',
			'BL-1,T,T恤,,,99,M,白,6.90123E+12,',
			[[2, 'barcode', 'catalog.badBarcode']]
		],
		[
			'barcode already in chain',
			`BL-1,T,T恤,,,99,M,白,${B(999)},`,
			[[2, 'barcode', 'catalog.duplicateBarcode']]
		],
		[
			'UPC-A already in chain as EAN-13',
			'BL-1,T,T恤,,,99,M,白,036000291452,',
			[[2, 'barcode', 'catalog.duplicateBarcode']]
		],
		['style already in chain', `OLD-1,T,T恤,,,99,M,白,${B(1)},`, [[2, 'style_code', 'catalog.styleExists']]],
		['too few fields', `BL-1,T,T恤,,,99,M,白,${B(1)}`, [[2, undefined, 'csv.wrongFieldCount']]],
		[
			'several problems at once',
			'BL-1,,外套,,,x,M,,,',
			[
				[2, 'name', 'catalog.missingField'],
				[2, 'color', 'catalog.missingField'],
				[2, 'barcode', 'catalog.missingField'],
				[2, 'category', 'catalog.unknownCategory'],
				[2, 'retail_price', 'catalog.badPrice']
			]
		]
	])('%s', (_name, row, expected) => {
		const result = run([row]);
		expect(result.errors.map((e) => [e.line, e.field, e.code])).toEqual(expected);
		if (expected.length > 0) expect([result.styles, result.variants]).toEqual([[], []]);
	});

	it.each([
		['name', `BL-1,Other,T恤,2026SS,1,99,L,白,${B(2)},89`],
		['category', `BL-1,T,裤子,2026SS,1,99,L,白,${B(2)},89`],
		['season', `BL-1,T,T恤,2026AW,1,99,L,白,${B(2)},89`],
		['new_arrival', `BL-1,T,T恤,2026SS,0,99,L,白,${B(2)},89`],
		['level_price:gold', `BL-1,T,T恤,2026SS,1,99,L,白,${B(2)},79`],
		['level_price:gold', `BL-1,T,T恤,2026SS,1,99,L,白,${B(2)},`]
	])('a row disagreeing on %s with its style is refused, alone', (field, row) => {
		const result = run([
			`BL-1,T,T恤,2026SS,1,99,M,白,${B(1)},89`,
			row,
			`BL-1,T,T恤,2026SS,1,99,S,白,${B(3)},89`
		]);
		expect(result.errors).toEqual([
			{
				line: 3,
				field,
				code: 'catalog.conflictingStyle',
				params: { line: 3, value: 'BL-1', field, styleCode: 'BL-1', firstLine: 2 }
			}
		]);
		expect(result.styles).toHaveLength(1);
		expect(result.variants.map((v) => v.size)).toEqual(['M', 'S']);
	});

	it('refuses a duplicate barcode within the file, citing the first line', () => {
		const result = run([`BL-1,T,T恤,,,99,M,白,${B(1)},`, `BL-2,T,T恤,,,99,M,白,${B(1)},`]);
		expect(result.errors).toEqual([
			expect.objectContaining({
				line: 3,
				field: 'barcode',
				code: 'catalog.duplicateBarcode',
				params: expect.objectContaining({ firstLine: 2 })
			})
		]);
		expect(result.variants).toHaveLength(1);
	});

	it('flags a reused barcode even when its first row was refused for something else', () => {
		expect(errorsOf([`BL-1,T,T恤,,,bad,M,白,${B(1)},`, `BL-2,T,T恤,,,99,M,白,${B(1)},`])).toEqual([
			[2, 'retail_price', 'catalog.badPrice'],
			[3, 'barcode', 'catalog.duplicateBarcode']
		]);
	});

	it('refuses the same size and colour twice in one style', () => {
		expect(errorsOf([`BL-1,T,T恤,,,99,M,白,${B(1)},`, `BL-1,T,T恤,,,99,m,白,${B(2)},`])).toEqual([
			[3, 'size', 'catalog.duplicateVariant']
		]);
	});

	it('builds the style from the first good row when the first row is bad', () => {
		const result = run([`BL-1,T,外套,,,99,M,白,${B(1)},`, `BL-1,T,T恤,,,99,L,白,${B(2)},`]);
		expect(result.errors.map((e) => e.line)).toEqual([2]);
		expect(result.styles.map((s) => s.categoryId)).toEqual(['cat-tee']);
		expect(result.variants.map((v) => v.size)).toEqual(['L']);
	});

	it('every row ends up as exactly one variant or at least one error, never both; no orphan records', () => {
		const row = fc.record({
			style: fc.constantFrom('S1', 'S2', 'OLD-1'),
			name: fc.constantFrom('T', 'U', ''),
			category: fc.constantFrom('T恤', '外套'),
			price: fc.constantFrom('99', '109', 'x', '0'),
			size: fc.constantFrom('S', 'M'),
			barcode: fc.integer({ min: 1, max: 6 }).map(B),
			gold: fc.constantFrom('', '89', '200')
		});
		fc.assert(
			fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
				const lines = rows.map(
					(r) => `${r.style},${r.name},${r.category},,,${r.price},${r.size},白,${r.barcode},${r.gold}`
				);
				const result = run(lines);
				const errorLines = new Set(result.errors.map((e) => e.line));
				expect(result.variants.length + errorLines.size).toBe(rows.length);
				const styleIds = new Set(result.styles.map((s) => s.id));
				expect(result.variants.every((v) => styleIds.has(v.styleId))).toBe(true);
				expect(result.styles.every((s) => result.variants.some((v) => v.styleId === s.id))).toBe(true);
				expect(new Set(result.variants.map((v) => v.barcode)).size).toBe(result.variants.length);
			})
		);
	});
});
