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
export async function saveStyleWithVariants(db: BranchlineDb, style: Style, variants: Variant[]): Promise<void> {
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
	await db.stock.where('[skuId+branchId]').equals([skuId, branchId]).each((m: StockMovement) => {
		total += m.qty;
	});
	return total;
}
