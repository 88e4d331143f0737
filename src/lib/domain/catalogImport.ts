/**
 * Catalog import from CSV: one row per variant (SKU), rows sharing a style_code make one style. Validation is all or
 * nothing per row: a row with any problem yields no record and one error per problem, each with its line, so the
 * owner can fix the whole file in one pass. Nothing is written here; the caller commits the result.
 */
import { barcodeLookupKeys, classifyBarcode } from './barcode';
import type { Category, CategoryId, LevelId, Style, Variant } from './catalog';
import { parseCsv, type CsvRecord } from './csv';
import { DomainError, type DomainErrorCode, type DomainErrorParams } from './errors';
import { parseYuan, type Fen } from './money';

/** Required columns, in template order. */
export const CATALOG_COLUMNS = [
	'style_code',
	'name',
	'category',
	'season',
	'new_arrival',
	'retail_price',
	'size',
	'color',
	'barcode'
] as const;
type Column = (typeof CATALOG_COLUMNS)[number];
const LEVEL_PREFIX = 'level_price:';
/** Default VAT for clothing in China (13 %), informational since prices are tax-inclusive. */
const DEFAULT_TAX_BP = 1300;

/** The header line of a template file for these member levels. */
export function catalogCsvHeader(levelIds: readonly LevelId[] = []): string[] {
	return [...CATALOG_COLUMNS, ...levelIds.map((id) => LEVEL_PREFIX + id)];
}

/** What the import checks against and how it makes records. */
export interface CatalogImportContext {
	categories: readonly Category[];
	/** Barcodes already in the chain (UPC-A and its EAN-13 form count as the same code). */
	existingBarcodes: ReadonlySet<string>;
	/** Style codes already in the chain: this import only creates styles (edit existing ones in the catalog). */
	existingStyleCodes?: ReadonlySet<string>;
	/** When given, every level_price:<id> column must name one of these levels. */
	levelIds?: ReadonlySet<LevelId>;
	newId: () => string;
	pinyinInitials: (name: string) => string;
	now: number;
	taxRateBp?: number;
}

/** One problem, on one line (and field) of the file. */
export interface ImportError {
	line: number;
	field?: string;
	code: DomainErrorCode;
	params: DomainErrorParams;
}

/** Records to create plus every problem found. */
export interface CatalogImportResult {
	styles: Style[];
	variants: Variant[];
	errors: ImportError[];
}

const TRUE_WORDS = new Set(['1', 'y', 'yes', 'true', '是', '新', '新品']);
const FALSE_WORDS = new Set(['', '0', 'n', 'no', 'false', '否']);

interface Header {
	index: Map<Column, number>;
	levels: { levelId: LevelId; column: string; index: number }[];
	width: number;
}

function readHeader(record: CsvRecord, ctx: CatalogImportContext, errors: ImportError[]): Header | undefined {
	const expected = catalogCsvHeader().join(',');
	const fail = (column: string) =>
		errors.push({
			line: record.line,
			code: 'csv.badHeader',
			params: { line: record.line, value: column, column, expected }
		});
	const index = new Map<Column, number>();
	const levels: Header['levels'] = [];
	const seen = new Set<string>();
	record.fields.forEach((raw, i) => {
		const name = raw.trim();
		const lower = name.toLowerCase();
		if (seen.has(lower)) return fail(name);
		seen.add(lower);
		if ((CATALOG_COLUMNS as readonly string[]).includes(lower)) return index.set(lower as Column, i);
		if (lower.startsWith(LEVEL_PREFIX)) {
			// Level ids are ids: only the prefix is case-insensitive.
			const levelId = name.slice(LEVEL_PREFIX.length).trim();
			if (levelId && (!ctx.levelIds || ctx.levelIds.has(levelId)))
				return levels.push({ levelId, column: name, index: i });
		}
		fail(name);
	});
	for (const column of CATALOG_COLUMNS) if (!index.has(column)) fail(column);
	return errors.length > 0 ? undefined : { index, levels, width: record.fields.length };
}

function categoryResolver(categories: readonly Category[]): (value: string) => CategoryId | undefined {
	const byId = new Map(categories.map((c) => [c.id, c.id]));
	// Names are matched too (owners type names, not ids), but only names that are unique in the chain.
	const byName = new Map<string, CategoryId | null>();
	for (const c of categories) byName.set(c.name, byName.has(c.name) ? null : c.id);
	return (value) => byId.get(value) ?? byName.get(value) ?? undefined;
}

interface StyleSeen {
	style: Style;
	line: number;
}

/** Validates parsed CSV records (header first) and builds styles and variants. See the module comment. */
export function importCatalog(records: readonly CsvRecord[], ctx: CatalogImportContext): CatalogImportResult {
	const errors: ImportError[] = [];
	const styles: Style[] = [];
	const variants: Variant[] = [];
	const [headerRecord, ...rows] = records;
	if (!headerRecord) {
		errors.push({
			line: 1,
			code: 'csv.badHeader',
			params: {
				line: 1,
				value: catalogCsvHeader().join(','),
				column: '',
				expected: catalogCsvHeader().join(',')
			}
		});
		return { styles, variants, errors };
	}
	const header = readHeader(headerRecord, ctx, errors);
	if (!header) return { styles, variants, errors };

	const resolveCategory = categoryResolver(ctx.categories);
	const barcodeLines = new Map<string, number>();
	const stylesByCode = new Map<string, StyleSeen>();
	const variantLines = new Map<string, number>();

	for (const record of rows) {
		const { line } = record;
		if (record.fields.length !== header.width) {
			errors.push({
				line,
				code: 'csv.wrongFieldCount',
				params: { line, expected: header.width, actual: record.fields.length }
			});
			continue;
		}
		const rowErrors: ImportError[] = [];
		const problem = (field: string, code: DomainErrorCode, params: DomainErrorParams = {}) =>
			rowErrors.push({ line, field, code, params: { line, field, ...params } });
		const get = (column: Column) => (record.fields[header.index.get(column) as number] ?? '').trim();
		const required = (column: Column) => {
			const value = get(column);
			if (!value) problem(column, 'catalog.missingField');
			return value;
		};
		const price = (field: string, value: string): Fen | undefined => {
			try {
				const parsed = parseYuan(value);
				if (parsed > 0) return parsed;
			} catch {
				// Reported below with the field, which parseYuan does not know.
			}
			problem(field, 'catalog.badPrice', { value });
			return undefined;
		};

		const code = required('style_code');
		const name = required('name');
		const categoryText = required('category');
		const season = get('season');
		const size = required('size');
		const color = required('color');
		const barcode = required('barcode');
		const retailText = required('retail_price');

		if (code && ctx.existingStyleCodes?.has(code))
			problem('style_code', 'catalog.styleExists', { value: code });
		const categoryId = categoryText ? resolveCategory(categoryText) : undefined;
		if (categoryText && !categoryId) problem('category', 'catalog.unknownCategory', { value: categoryText });

		const flag = get('new_arrival').toLowerCase();
		const isNewArrival = TRUE_WORDS.has(flag);
		if (!isNewArrival && !FALSE_WORDS.has(flag))
			problem('new_arrival', 'catalog.badValue', { value: get('new_arrival') });

		const retailPrice = retailText ? price('retail_price', retailText) : undefined;
		const levelPrices: Record<LevelId, Fen> = {};
		for (const level of header.levels) {
			const text = (record.fields[level.index] ?? '').trim();
			if (!text) continue;
			const value = price(level.column, text);
			if (value === undefined) continue;
			if (retailPrice !== undefined && value > retailPrice)
				problem(level.column, 'catalog.levelPriceAboveRetail', { value: text, retail: retailText });
			levelPrices[level.levelId] = value;
		}

		if (barcode) {
			try {
				classifyBarcode(barcode);
				const keys = barcodeLookupKeys(barcode);
				const firstLine = keys.map((k) => barcodeLines.get(k)).find((l) => l !== undefined);
				if (keys.some((k) => ctx.existingBarcodes.has(k)))
					problem('barcode', 'catalog.duplicateBarcode', { value: barcode });
				else if (firstLine !== undefined)
					problem('barcode', 'catalog.duplicateBarcode', { value: barcode, firstLine });
				// Registered even if the row fails, so a later row reusing it is flagged as well.
				for (const k of keys) if (!barcodeLines.has(k)) barcodeLines.set(k, line);
			} catch (e) {
				if (!(e instanceof DomainError)) throw e;
				problem('barcode', e.code, { value: barcode });
			}
		}

		if (rowErrors.length > 0 || !categoryId || retailPrice === undefined) {
			errors.push(...rowErrors);
			continue;
		}

		const candidate: Omit<Style, 'id' | 'pinyinInitials'> = {
			code,
			name,
			categoryId,
			season,
			isNewArrival,
			retailPrice,
			levelPrices,
			taxRateBp: ctx.taxRateBp ?? DEFAULT_TAX_BP,
			active: true,
			updatedAt: ctx.now
		};
		const seen = stylesByCode.get(code);
		if (seen) {
			const field = conflictingField(seen.style, candidate);
			if (field) {
				errors.push({
					line,
					field,
					code: 'catalog.conflictingStyle',
					params: { line, value: code, field, styleCode: code, firstLine: seen.line }
				});
				continue;
			}
		}
		const variantKey = `${code}\u0000${size.toLowerCase()}\u0000${color.toLowerCase()}`;
		const firstVariantLine = variantLines.get(variantKey);
		if (firstVariantLine !== undefined) {
			errors.push({
				line,
				field: 'size',
				code: 'catalog.duplicateVariant',
				params: {
					line,
					value: `${color} / ${size}`,
					styleCode: code,
					size,
					color,
					firstLine: firstVariantLine
				}
			});
			continue;
		}

		let style = seen?.style;
		if (!style) {
			style = { ...candidate, id: ctx.newId(), pinyinInitials: ctx.pinyinInitials(name) };
			stylesByCode.set(code, { style, line });
			styles.push(style);
		}
		variantLines.set(variantKey, line);
		const variant: Variant = {
			id: ctx.newId(),
			styleId: style.id,
			barcode,
			size,
			color,
			active: true,
			updatedAt: ctx.now
		};
		// A row priced differently from its style's first row is a variant price (e.g. XXL costs more).
		if (retailPrice !== style.retailPrice) variant.retailPrice = retailPrice;
		variants.push(variant);
	}
	return { styles, variants, errors };
}

// Fields that belong to the style and must agree on every row of it. retail_price is not one: see above.
function conflictingField(style: Style, row: Omit<Style, 'id' | 'pinyinInitials'>): string | undefined {
	if (style.name !== row.name) return 'name';
	if (style.categoryId !== row.categoryId) return 'category';
	if (style.season !== row.season) return 'season';
	if (style.isNewArrival !== row.isNewArrival) return 'new_arrival';
	const a = style.levelPrices;
	const b = row.levelPrices;
	const levels = new Set([...Object.keys(a), ...Object.keys(b)]);
	for (const level of levels) if (a[level] !== b[level]) return LEVEL_PREFIX + level;
	return undefined;
}

/** Parses CSV text and imports it; a CSV syntax error becomes the single error of the result. */
export function importCatalogCsv(text: string, ctx: CatalogImportContext): CatalogImportResult {
	let records: CsvRecord[];
	try {
		records = parseCsv(text);
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const line = typeof e.params.line === 'number' ? e.params.line : 1;
		return { styles: [], variants: [], errors: [{ line, code: e.code, params: e.params }] };
	}
	return importCatalog(records, ctx);
}
