/**
 * Storage side of the catalog CSV import and export: what the import checks against (barcodes and style codes
 * already in the chain), committing the valid rows in one transaction with outbox rows, and the export rows.
 */
import type { Category, MemberLevel, Style, Variant } from '$lib/domain/catalog';
import { barcodeLookupKeys } from '$lib/domain/barcode';
import { catalogCsvHeader } from '$lib/domain/catalogImport';
import type { CsvValue } from '$lib/domain/csv';
import { toDecimalString } from '$lib/domain/money';
import type { BranchlineDb, OutboxRow } from './db';
import { DuplicateBarcodeError, StyleCodeTakenError } from './catalog';
import { newId } from './ids';

/** Barcodes and style codes already in the chain, read from the indexes only (no records loaded). */
export async function catalogImportLookups(
	db: BranchlineDb
): Promise<{ barcodes: Set<string>; styleCodes: Set<string> }> {
	const [barcodes, styleCodes] = await Promise.all([
		db.variants.orderBy('barcode').keys(),
		db.styles.orderBy('code').keys()
	]);
	return { barcodes: new Set(barcodes.map(String)), styleCodes: new Set(styleCodes.map(String)) };
}

/**
 * Writes the styles and variants of an import in ONE transaction, with outbox rows. The checks the import made
 * are repeated inside the transaction (another tab or a sync may have added a code since): any clash aborts the
 * whole import with StyleCodeTakenError or DuplicateBarcodeError and nothing is written.
 */
export async function commitCatalogImport(
	db: BranchlineDb,
	styles: readonly Style[],
	variants: readonly Variant[],
	now: number = Date.now()
): Promise<void> {
	await db.transaction('rw', [db.styles, db.variants, db.outbox], async () => {
		const codes = styles.map((s) => s.code);
		const takenStyle = await db.styles.where('code').anyOf(codes).first();
		if (takenStyle) throw new StyleCodeTakenError(takenStyle.code);
		const owners = new Map<string, string>();
		for (const v of variants) for (const key of barcodeLookupKeys(v.barcode)) owners.set(key, v.barcode);
		const takenCode = await db.variants
			.where('barcode')
			.anyOf([...owners.keys()])
			.first();
		if (takenCode) throw new DuplicateBarcodeError(owners.get(takenCode.barcode) ?? takenCode.barcode);
		await db.styles.bulkAdd([...styles]);
		await db.variants.bulkAdd([...variants]);
		const outbox: OutboxRow[] = [
			...styles.map((s) => ({ id: newId(now), table: 'styles' as const, recordId: s.id, createdAt: now })),
			...variants.map((v) => ({ id: newId(now), table: 'variants' as const, recordId: v.id, createdAt: now }))
		];
		await db.outbox.bulkAdd(outbox);
	});
}

/**
 * The whole catalog as CSV rows in the import's columns (header first), one row per variant, so an export can be
 * edited in a spreadsheet and read back. Categories are written by name when the name is unique, else by id.
 */
export async function catalogExportRows(
	db: BranchlineDb,
	categories: readonly Category[],
	levels: readonly MemberLevel[]
): Promise<CsvValue[][]> {
	const nameCount = new Map<string, number>();
	for (const c of categories) nameCount.set(c.name, (nameCount.get(c.name) ?? 0) + 1);
	const categoryText = new Map(categories.map((c) => [c.id, nameCount.get(c.name) === 1 ? c.name : c.id]));
	const levelIds = levels.map((l) => l.id);
	const variantsByStyle = new Map<string, Variant[]>();
	await db.variants.each((v) => {
		const list = variantsByStyle.get(v.styleId);
		if (list) list.push(v);
		else variantsByStyle.set(v.styleId, [v]);
	});
	const rows: CsvValue[][] = [catalogCsvHeader(levelIds)];
	await db.styles.orderBy('code').each((style) => {
		// The import takes a style's price from its first row: variants with their own price go after the others.
		const variants = [...(variantsByStyle.get(style.id) ?? [])].sort(
			(a, b) => Number(a.retailPrice !== undefined) - Number(b.retailPrice !== undefined)
		);
		for (const v of variants) {
			rows.push([
				style.code,
				style.name,
				categoryText.get(style.categoryId) ?? style.categoryId,
				style.season,
				style.isNewArrival ? '1' : '0',
				toDecimalString(v.retailPrice ?? style.retailPrice),
				v.size,
				v.color,
				v.barcode,
				...levelIds.map((id) => {
					const price = style.levelPrices[id];
					return price === undefined ? '' : toDecimalString(price);
				})
			]);
		}
	});
	return rows;
}
