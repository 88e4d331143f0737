import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyBarcode, ean13FromBody } from '$lib/domain/barcode';
import type { Category, MemberLevel, Style, Variant } from '$lib/domain/catalog';
import { fen } from '$lib/domain/money';
import { BranchlineDb } from '$lib/storage/db';
import type { AppState } from './app.svelte';
import {
	internalBarcodeBody,
	orderedIds,
	splitList,
	StyleEditor,
	type Problem
} from './catalogEditor.svelte';

const categories: Category[] = [{ id: 'cat-knit', name: '毛衫' }];
const levels: MemberLevel[] = [
	{ id: 'lvl-regular', name: '普通会员', rank: 0 },
	{ id: 'lvl-gold', name: '金卡会员', rank: 2 }
];

let db: BranchlineDb;
let app: AppState;
let seq = 0;

beforeEach(() => {
	db = new BranchlineDb(`catalog-editor-${++seq}`);
	// The editor only needs the database, the reference lists and this till's identity.
	app = {
		db,
		categories,
		levels,
		device: { deviceId: 'dev-1', chainId: 'c', branchId: 'br-01', tillCode: 'T2' },
		branch: { id: 'br-01', code: 'B01', name: '一店', address: '', phone: '' },
		refreshUnsynced: async () => {},
		reportStorageError: () => {}
	} as unknown as AppState;
});

afterEach(async () => {
	db.close();
	await db.delete();
});

function fillValid(editor: StyleEditor): void {
	editor.code = 'BL-1';
	editor.name = '测试针织开衫';
	editor.categoryId = 'cat-knit';
	editor.retail = '199';
	editor.levelPrices = { 'lvl-gold': '179' };
	editor.sizesText = 'M，L';
	editor.colorsText = '黑色、白色';
	editor.generateMatrix();
}

const keyOf = (problem: Problem | undefined) => (problem && 'key' in problem ? problem.key : undefined);
const codeOf = (problem: Problem | undefined) =>
	problem && 'error' in problem ? (problem.error as { code?: string }).code : undefined;

describe('helpers', () => {
	it('splits size and colour lists on Chinese and latin separators, without blanks or repeats', () => {
		expect(splitList(' S, M，L、xl ,XL;; ')).toEqual(['S', 'M', 'L', 'xl']);
		expect(splitList('')).toEqual([]);
	});

	it('numbers in-store EAN-13s as 20 + branch + till + sequence, with a valid check digit', () => {
		const body = internalBarcodeBody('B01', 'T2', 42);
		expect(body).toBe('200102000042');
		expect(classifyBarcode(ean13FromBody(body))).toBe('ean13');
		expect(internalBarcodeBody('HQ', 'T12', 1_000_001)).toBe('200012000001');
	});

	it('makes ids in ascending order', () => {
		const ids = orderedIds(50, 1_000);
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(50);
	});
});

describe('StyleEditor', () => {
	it('names every missing field and writes nothing', async () => {
		const editor = new StyleEditor(app);
		expect(await editor.save()).toBe(false);
		for (const field of ['code', 'name', 'categoryId', 'retail'])
			expect(keyOf(editor.problems[field])).toBe('catalog.required');
		expect(keyOf(editor.problems.variants)).toBe('catalog.needVariant');
		expect(await db.styles.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});

	it('checks prices, level prices and barcodes next to each field', async () => {
		const editor = new StyleEditor(app);
		fillValid(editor);
		editor.levelPrices = { 'lvl-gold': '259' };
		const [a, b, c] = editor.rows;
		if (!a || !b || !c) throw new Error('matrix');
		a.barcode = '6901234567891';
		b.barcode = ean13FromBody('036000291452');
		c.barcode = b.barcode.slice(1); // the same code as UPC-A, as a US-made tag carries it
		a.price = '12.345';
		expect(await editor.save()).toBe(false);
		expect(codeOf(editor.problems['level:lvl-gold'])).toBe('catalog.levelPriceAboveRetail');
		expect(codeOf(editor.problems[`barcode:${a.id}`])).toBe('catalog.badCheckDigit');
		expect(codeOf(editor.problems[`price:${a.id}`])).toBe('money.badAmount');
		expect(editor.problems[`barcode:${b.id}`]).toBeUndefined();
		expect(keyOf(editor.problems[`barcode:${c.id}`])).toBe('catalog.duplicateInForm');
		expect(await db.styles.count()).toBe(0);
	});

	it('saves a 2x2 matrix with generated barcodes in one go, with outbox rows, and reads it back in order', async () => {
		const editor = new StyleEditor(app);
		fillValid(editor);
		expect(editor.rows.map((r) => `${r.color}/${r.size}`)).toEqual(['黑色/M', '黑色/L', '白色/M', '白色/L']);
		await editor.generateBarcodes();
		const codes = editor.rows.map((r) => r.barcode);
		expect(new Set(codes).size).toBe(4);
		for (const code of codes) expect(code).toMatch(/^200102\d{7}$/);
		expect(await editor.save(5_000)).toBe(true);

		const style = await db.styles.get(editor.id);
		expect(style).toMatchObject({
			code: 'BL-1',
			retailPrice: 19900,
			levelPrices: { 'lvl-gold': 17900 },
			pinyinInitials: 'cszzks',
			updatedAt: 5_000
		});
		expect(await db.variants.count()).toBe(4);
		expect((await db.outbox.toArray()).map((o) => o.table).sort()).toEqual([
			'styles',
			'variants',
			'variants',
			'variants',
			'variants'
		]);

		const reopened = await StyleEditor.open(app, editor.id);
		expect(reopened?.rows.map((r) => r.barcode)).toEqual(codes);
		expect(reopened?.sizesText).toBe('M,L');
		expect(reopened?.colorsText).toBe('黑色,白色');
	});

	it('writes only what changed when an existing style is edited', async () => {
		const editor = new StyleEditor(app);
		fillValid(editor);
		await editor.generateBarcodes();
		await editor.save(1_000);
		await db.outbox.clear();
		const reopened = await StyleEditor.open(app, editor.id);
		if (!reopened?.rows[3]) throw new Error('not reopened');
		reopened.rows[3].price = '219';
		expect(await reopened.save(2_000)).toBe(true);
		const outbox = await db.outbox.toArray();
		expect(outbox.map((o) => o.table).sort()).toEqual(['styles', 'variants']);
		const changed = await db.variants.get(reopened.rows[3].id);
		expect(changed).toMatchObject({ retailPrice: 21900, updatedAt: 2_000 });
	});

	it('refuses a barcode another style uses, and a style code that is taken, writing nothing', async () => {
		const other: Style = {
			id: 'sty-x',
			code: 'BL-1',
			name: '别的',
			categoryId: 'cat-knit',
			season: '',
			isNewArrival: false,
			retailPrice: fen(100),
			levelPrices: {},
			taxRateBp: 1300,
			pinyinInitials: 'bd',
			active: true,
			updatedAt: 1
		};
		const taken: Variant = {
			id: 'sku-x',
			styleId: 'sty-x',
			barcode: ean13FromBody('690000000001'),
			size: 'M',
			color: '红',
			active: true,
			updatedAt: 1
		};
		await db.styles.add(other);
		await db.variants.add(taken);
		const editor = new StyleEditor(app);
		fillValid(editor);
		await editor.generateBarcodes();
		const first = editor.rows[0];
		if (!first) throw new Error('matrix');
		first.barcode = taken.barcode;
		expect(await editor.save()).toBe(false);
		expect(codeOf(editor.problems[`barcode:${first.id}`])).toBe('catalog.duplicateBarcode');

		first.barcode = '';
		await editor.generateBarcodes(first.id);
		expect(await editor.save()).toBe(false);
		expect(keyOf(editor.problems.code)).toBe('catalog.codeTaken');
		expect(await db.styles.count()).toBe(1);
		expect(await db.variants.count()).toBe(1);
		expect(await db.outbox.count()).toBe(0);
	});

	it('receives and counts stock as append-only movements with outbox rows', async () => {
		const editor = new StyleEditor(app);
		fillValid(editor);
		await editor.generateBarcodes();
		await editor.save();
		await db.outbox.clear();
		const skuId = editor.rows[0]?.id ?? '';

		expect((await editor.recordStock(skuId, 'receive', '0')).ok).toBe(false);
		expect((await editor.recordStock(skuId, 'count', '-1')).ok).toBe(false);
		expect(await editor.recordStock(skuId, 'receive', '6')).toMatchObject({ ok: true });
		const counted = await editor.recordStock(skuId, 'count', '5');
		expect(counted).toMatchObject({ ok: true, problem: { key: 'catalog.stock.adjusted' } });
		expect(editor.onHand[skuId]).toBe(5);
		expect((await editor.recordStock(skuId, 'count', '5')).problem).toMatchObject({
			key: 'catalog.stock.unchanged'
		});

		const movements = await db.stock.toArray();
		expect(movements.map((m) => [m.kind, m.qty, m.branchId, m.deviceId])).toEqual([
			['receive', 6, 'br-01', 'dev-1'],
			['adjust', -1, 'br-01', 'dev-1']
		]);
		const outbox = await db.outbox.toArray();
		expect(outbox.map((o) => [o.table, o.recordId])).toEqual(movements.map((m) => ['stock', m.id]));
	});
});
