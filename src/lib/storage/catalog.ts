/** Catalog reads for the till (by barcode, by search) and writes from the catalog screen and CSV import. */
import type { Style, Variant } from '$lib/domain/catalog';
import { barcodeLookupKeys } from '$lib/domain/barcode';
import type { StockMovement } from '$lib/domain/sale';
import type { BranchlineDb } from './db';
import { newId } from './ids';

export interface SkuView {
	variant: Variant;
	style: Style;
}

/** Finds the active SKU for a scanned code (UPC-A also matched as its EAN-13 form). */
export async function findSkuByBarcode(db: BranchlineDb, code: string): Promise<SkuView | undefined> {
	for (const key of barcodeLookupKeys(code)) {
		const variant = await db.variants.where('barcode').equals(key).first();
		if (!variant) continue;
		const style = await db.styles.get(variant.styleId);
		if (style) return { variant, style };
	}
	return undefined;
}

export async function getSku(db: BranchlineDb, skuId: string): Promise<SkuView | undefined> {
	const variant = await db.variants.get(skuId);
	if (!variant) return undefined;
	const style = await db.styles.get(variant.styleId);
	return style ? { variant, style } : undefined;
}

/**
 * Search by style code prefix, pinyin initials prefix (纯棉T恤 -> "cmtx") or a part of the name.
 * Indexed prefixes first; the name scan is bounded so a vague query stays fast on a big catalog.
 */
export async function searchStyles(db: BranchlineDb, rawQuery: string, limit = 30): Promise<Style[]> {
	const query = rawQuery.trim();
	if (!query) return [];
	const found = new Map<string, Style>();
	const upper = query.toUpperCase();
	const lower = query.toLowerCase();
	for (const style of await db.styles.where('code').startsWith(upper).limit(limit).toArray())
		found.set(style.id, style);
	if (/^[a-z]+$/i.test(query) && found.size < limit) {
		const byInitials = await db.styles
			.where('pinyinInitials')
			.startsWith(lower)
			.limit(limit - found.size)
			.toArray();
		for (const style of byInitials) found.set(style.id, style);
	}
	if (found.size < limit) {
		const byName = await db.styles
			.filter((s) => s.name.includes(query))
			.limit(limit - found.size)
			.toArray();
		for (const style of byName) found.set(style.id, style);
	}
	return [...found.values()].filter((s) => s.active).slice(0, limit);
}

export async function variantsOfStyle(db: BranchlineDb, styleId: string): Promise<Variant[]> {
	return db.variants.where('styleId').equals(styleId).toArray();
}

/** Everything needed to keep the style and its variants unique and whole. */
export class DuplicateBarcodeError extends Error {
	constructor(readonly barcode: string) {
		super(`barcode ${barcode} is already used`);
		this.name = 'DuplicateBarcodeError';
	}
}

/**
 * Saves a style with all its variants in one transaction, with outbox rows. A barcode used by another
 * style's variant aborts the whole save (nothing half-written).
 */
export async function saveStyleWithVariants(
	db: BranchlineDb,
	style: Style,
	variants: Variant[]
): Promise<void> {
	await db.transaction('rw', [db.styles, db.variants, db.outbox], async () => {
		for (const variant of variants) {
			const clash = await db.variants.where('barcode').equals(variant.barcode).first();
			if (clash && clash.id !== variant.id) throw new DuplicateBarcodeError(variant.barcode);
		}
		await db.styles.put(style);
		await db.variants.bulkPut(variants);
		const now = style.updatedAt;
		await db.outbox.bulkAdd([
			{ id: newId(), table: 'styles', recordId: style.id, createdAt: now },
			...variants.map((v) => ({ id: newId(), table: 'variants' as const, recordId: v.id, createdAt: now }))
		]);
	});
}

/** On-hand stock of one SKU at one branch: the fold of its movements. */
export async function onHand(db: BranchlineDb, skuId: string, branchId: string): Promise<number> {
	let total = 0;
	await db.stock
		.where('[skuId+branchId]')
		.equals([skuId, branchId])
		.each((m: StockMovement) => {
			total += m.qty;
		});
	return total;
}

// ---- Catalog screen: lists, editing, barcode numbering and stock receipts/counts ----

/** A style's code is already used by another style. */
export class StyleCodeTakenError extends Error {
	constructor(readonly code: string) {
		super(`style code ${code} is already used`);
		this.name = 'StyleCodeTakenError';
	}
}

/** The most recently updated styles (inactive ones too), newest first, walking the updatedAt index. */
export async function recentStyles(db: BranchlineDb, categoryId = '', limit = 50): Promise<Style[]> {
	const newestFirst = db.styles.orderBy('updatedAt').reverse();
	const inCategory = categoryId ? newestFirst.filter((s) => s.categoryId === categoryId) : newestFirst;
	return inCategory.limit(limit).toArray();
}

/**
 * The catalog screen's search: like searchStyles (code prefix, pinyin initials, name) but keeps inactive styles so
 * a manager can find and re-activate them, finds the style of a scanned barcode, and filters by category.
 */
export async function findStyles(
	db: BranchlineDb,
	rawQuery: string,
	categoryId = '',
	limit = 50
): Promise<Style[]> {
	const query = rawQuery.trim();
	if (!query) return recentStyles(db, categoryId, limit);
	const keep = (s: Style) => !categoryId || s.categoryId === categoryId;
	const found = new Map<string, Style>();
	const add = (styles: Style[]) => {
		for (const s of styles) if (keep(s) && found.size < limit) found.set(s.id, s);
	};
	const sku = /^[0-9A-Za-z-]{8,}$/.test(query) ? await findSkuByBarcode(db, query) : undefined;
	if (sku) add([sku.style]);
	add(await db.styles.where('code').startsWith(query.toUpperCase()).filter(keep).limit(limit).toArray());
	if (/^[a-z0-9]+$/i.test(query) && found.size < limit)
		add(
			await db.styles
				.where('pinyinInitials')
				.startsWith(query.toLowerCase())
				.filter(keep)
				.limit(limit)
				.toArray()
		);
	if (found.size < limit)
		add(
			await db.styles
				.filter((s) => keep(s) && s.name.includes(query))
				.limit(limit)
				.toArray()
		);
	return [...found.values()];
}

/** On-hand per SKU at one branch: one compound-index query for all of them. */
export async function onHandBySkus(
	db: BranchlineDb,
	skuIds: readonly string[],
	branchId: string
): Promise<Map<string, number>> {
	const totals = new Map<string, number>(skuIds.map((id) => [id, 0]));
	if (skuIds.length === 0) return totals;
	await db.stock
		.where('[skuId+branchId]')
		.anyOf(skuIds.map((id) => [id, branchId]))
		.each((m: StockMovement) => {
			totals.set(m.skuId, (totals.get(m.skuId) ?? 0) + m.qty);
		});
	return totals;
}

/** What the catalog list shows per style: how many SKUs it has and their on-hand sum at one branch. */
export interface StyleStockSummary {
	variantCount: number;
	onHand: number;
}

/** Per-style SKU counts and on-hand at `branchId`, for a page of styles (two indexed queries in all). */
export async function styleStockSummaries(
	db: BranchlineDb,
	styleIds: readonly string[],
	branchId: string
): Promise<Map<string, StyleStockSummary>> {
	const summaries = new Map<string, StyleStockSummary>(
		styleIds.map((id) => [id, { variantCount: 0, onHand: 0 }])
	);
	if (styleIds.length === 0) return summaries;
	const variants = await db.variants.where('styleId').anyOf(styleIds).toArray();
	const bySku = await onHandBySkus(
		db,
		variants.map((v) => v.id),
		branchId
	);
	for (const v of variants) {
		const summary = summaries.get(v.styleId);
		if (!summary) continue;
		summary.variantCount += 1;
		summary.onHand += bySku.get(v.id) ?? 0;
	}
	return summaries;
}

/**
 * Barcodes (UPC-A and its EAN-13 form count as one) that a variant other than the given one already uses.
 * Lets the editor name every clash before saving; saveStyleEdit still checks inside its transaction.
 */
export async function findBarcodeClashes(
	db: BranchlineDb,
	entries: readonly { id: string; barcode: string }[]
): Promise<string[]> {
	const clashes: string[] = [];
	for (const { id, barcode } of entries) {
		const other = await db.variants
			.where('barcode')
			.anyOf(barcodeLookupKeys(barcode))
			.filter((v) => v.id !== id)
			.first();
		if (other) clashes.push(barcode);
	}
	return clashes;
}

/**
 * Saves an edited or new style and its changed variants atomically: refuses a style code used by another style
 * (StyleCodeTakenError) and, through saveStyleWithVariants, a barcode used elsewhere (DuplicateBarcodeError).
 */
export async function saveStyleEdit(db: BranchlineDb, style: Style, variants: Variant[]): Promise<void> {
	await db.transaction('rw', [db.styles, db.variants, db.outbox], async () => {
		const other = await db.styles
			.where('code')
			.equals(style.code)
			.filter((s) => s.id !== style.id)
			.first();
		if (other) throw new StyleCodeTakenError(style.code);
		await saveStyleWithVariants(db, style, variants);
	});
}

/**
 * Reserves `count` codes from a per-till sequence: `make(seq)` turns a sequence number into a code; codes that a
 * variant already has, or that are in `exclude` (e.g. typed in the open form), are skipped. The counter is
 * persisted, so a code handed out is never handed out again on this till.
 */
export async function reserveCodes(
	db: BranchlineDb,
	counterKey: string,
	count: number,
	make: (seq: number) => string,
	exclude: readonly string[] = []
): Promise<string[]> {
	return db.transaction('rw', [db.counters, db.variants], async () => {
		let seq = (await db.counters.get(counterKey))?.value ?? 0;
		const last = seq + count + 100_000;
		const codes: string[] = [];
		while (codes.length < count) {
			seq += 1;
			if (seq > last) throw new RangeError(`no free code in ${counterKey}`);
			const code = make(seq);
			if (exclude.includes(code) || codes.includes(code)) continue;
			if ((await db.variants.where('barcode').equals(code).count()) > 0) continue;
			codes.push(code);
		}
		await db.counters.put({ key: counterKey, value: seq });
		return codes;
	});
}

/** Who and where a stock receipt or count is recorded. */
export interface StockContext {
	skuId: string;
	branchId: string;
	deviceId: string;
	now: number;
}

async function addMovement(db: BranchlineDb, movement: StockMovement): Promise<void> {
	await db.stock.add(movement);
	await db.outbox.add({
		id: newId(movement.createdAt),
		table: 'stock',
		recordId: movement.id,
		createdAt: movement.createdAt
	});
}

/** Goods received: one 'receive' movement of +qty and its outbox row, in one transaction. */
export async function receiveStock(db: BranchlineDb, ctx: StockContext, qty: number): Promise<StockMovement> {
	if (!Number.isSafeInteger(qty) || qty <= 0) throw new RangeError(`bad quantity ${qty}`);
	const movement: StockMovement = {
		id: newId(ctx.now),
		skuId: ctx.skuId,
		branchId: ctx.branchId,
		qty,
		kind: 'receive',
		refId: newId(ctx.now),
		deviceId: ctx.deviceId,
		createdAt: ctx.now
	};
	await db.transaction('rw', [db.stock, db.outbox], () => addMovement(db, movement));
	return movement;
}

/**
 * A stock count: appends an 'adjust' movement of (counted - on hand), with on hand read in the same transaction
 * so a sale committed meanwhile is not lost. Returns null (nothing written) when the count already matches.
 */
export async function countStock(
	db: BranchlineDb,
	ctx: StockContext,
	counted: number
): Promise<StockMovement | null> {
	if (!Number.isSafeInteger(counted) || counted < 0) throw new RangeError(`bad count ${counted}`);
	return db.transaction('rw', [db.stock, db.outbox], async () => {
		const delta = counted - (await onHand(db, ctx.skuId, ctx.branchId));
		if (delta === 0) return null;
		const movement: StockMovement = {
			id: newId(ctx.now),
			skuId: ctx.skuId,
			branchId: ctx.branchId,
			qty: delta,
			kind: 'adjust',
			refId: newId(ctx.now),
			deviceId: ctx.deviceId,
			createdAt: ctx.now
		};
		await addMovement(db, movement);
		return movement;
	});
}
