/**
 * The style editor (款式编辑): one style and its size x colour variants as a form, with a message next to each
 * field, in-store barcode numbering, saving in one transaction, and stock receipts and counts per variant.
 */
import * as v from 'valibot';
import { barcodeLookupKeys, classifyBarcode, ean13FromBody } from '$lib/domain/barcode';
import type { LevelId, Style, Variant } from '$lib/domain/catalog';
import { DomainError } from '$lib/domain/errors';
import { parseYuan, toDecimalString, type Fen } from '$lib/domain/money';
import type { MessageKey, MessageParams } from '$lib/i18n/translate';
import { styleSchema, variantSchema } from '$lib/schema/records';
import {
	DuplicateBarcodeError,
	StyleCodeTakenError,
	countStock,
	findBarcodeClashes,
	onHandBySkus,
	receiveStock,
	reserveCodes,
	saveStyleEdit,
	variantsOfStyle
} from '$lib/storage/catalog';
import { newId } from '$lib/storage/ids';
import type { AppState } from './app.svelte';
import type { LocaleState } from './locale.svelte';

/** Something to tell the user: a message key, or an error translated by locale.error. */
export type Problem = { key: MessageKey; params?: MessageParams } | { error: unknown };

export function problemText(locale: LocaleState, problem: Problem): string {
	return 'key' in problem ? locale.t(problem.key, problem.params) : locale.error(problem.error);
}

const barcodeTaken = (value: string): Problem => ({
	error: new DomainError('catalog.duplicateBarcode', { value })
});

/** Storage refusals as the domain errors the user already knows from imports and the till. */
export function catalogProblem(error: unknown): Problem {
	if (error instanceof DuplicateBarcodeError) return barcodeTaken(error.barcode);
	if (error instanceof StyleCodeTakenError)
		return { error: new DomainError('catalog.styleExists', { value: error.code }) };
	return { error };
}

/** One row of the size x colour matrix, as typed. */
export interface VariantDraft {
	id: string;
	color: string;
	size: string;
	barcode: string;
	/** Own retail price in yuan as typed; blank = the style's price. */
	price: string;
	active: boolean;
}

/** "S, M，L、XL" -> ["S","M","L","XL"]: Chinese and latin separators, blanks and repeats dropped. */
export function splitList(text: string): string[] {
	const items = text
		.split(/[,，、;；\n]+/)
		.map((part) => part.trim())
		.filter(Boolean);
	const lower = items.map((item) => item.toLowerCase());
	return items.filter((_, i) => lower.indexOf(lower[i] ?? '') === i);
}

/**
 * Body of an in-store EAN-13 (GS1 prefix 20 = restricted, in-store numbering): 20 + branch number (2 digits) + till
 * number (2) + this till's sequence (6). Tills number independently, so two offline tills never make the same code.
 */
export function internalBarcodeBody(branchCode: string, tillCode: string, seq: number): string {
	const two = (code: string) => String(Number(code.replace(/\D/g, '').slice(-2) || '0')).padStart(2, '0');
	return `20${two(branchCode)}${two(tillCode)}${String(seq % 1_000_000).padStart(6, '0')}`;
}

/**
 * `count` fresh ids in ascending order. Variants are read back by id (the styleId index keeps primary-key order),
 * so rows created in matrix order come back in that order instead of the random order of same-millisecond ids.
 */
export function orderedIds(count: number, now: number = Date.now()): string[] {
	return Array.from({ length: count }, () => newId(now)).sort();
}

const pairKey = (color: string, size: string) => `${color.toLowerCase()}\u0000${size.toLowerCase()}`;
const yuan = (amount: Fen | undefined) => (amount === undefined ? '' : toDecimalString(amount));
const LIMITS = { code: 40, name: 120, season: 20 } as const;
const DEFAULT_TAX_BP = 1300;

export class StyleEditor {
	readonly #app: AppState;
	readonly id: string;
	code = $state('');
	name = $state('');
	categoryId = $state('');
	season = $state('');
	isNewArrival = $state(false);
	retail = $state('');
	levelPrices = $state<Record<LevelId, string>>({});
	active = $state(true);
	sizesText = $state('');
	colorsText = $state('');
	rows = $state<VariantDraft[]>([]);
	/** Problems by field: code, name, categoryId, season, retail, level:<id>, variants, barcode:<id>, price:<id>. */
	problems = $state.raw<Record<string, Problem>>({});
	/** The outcome of the last save, shown at the bottom of the form. */
	summary = $state.raw<{ ok: boolean; problem: Problem } | null>(null);
	busy = $state(false);
	/** On hand at this branch, by variant id. */
	onHand = $state.raw<Readonly<Record<string, number>>>({});
	#original = $state.raw<Style | null>(null);
	/** The stored variants, by id (what a save compares against). */
	#saved = $state.raw<Readonly<Record<string, Variant>>>({});

	savedCode = $derived(this.#original?.code ?? '');

	constructor(app: AppState, style?: Style, variants: Variant[] = []) {
		this.#app = app;
		this.id = style?.id ?? newId();
		if (style) this.#reset(style, variants);
	}

	/** A style just created on /catalog/new, handed to its own page with its "saved" message. */
	static #created: StyleEditor | null = null;

	/** Loads a stored style for editing; null if there is no such style or its record is unreadable. */
	static async open(app: AppState, styleId: string): Promise<StyleEditor | null> {
		const created = StyleEditor.#created;
		StyleEditor.#created = null;
		if (created?.id === styleId) return created;
		const parsed = v.safeParse(styleSchema, await app.db.styles.get(styleId));
		if (!parsed.success) return null;
		const variants = (await variantsOfStyle(app.db, styleId)).filter((row) => v.is(variantSchema, row));
		const editor = new StyleEditor(app, parsed.output, variants);
		await editor.refreshStock();
		return editor;
	}

	isSaved(variantId: string): boolean {
		return Object.hasOwn(this.#saved, variantId);
	}

	#reset(style: Style, variants: Variant[]): void {
		this.#original = style;
		this.#saved = Object.fromEntries(variants.map((variant) => [variant.id, variant]));
		this.code = style.code;
		this.name = style.name;
		this.categoryId = style.categoryId;
		this.season = style.season;
		this.isNewArrival = style.isNewArrival;
		this.retail = yuan(style.retailPrice);
		this.levelPrices = Object.fromEntries(Object.entries(style.levelPrices).map(([id, p]) => [id, yuan(p)]));
		this.active = style.active;
		const colors = splitList(variants.map((x) => x.color).join(','));
		const sizes = splitList(variants.map((x) => x.size).join(','));
		this.colorsText = colors.join(',');
		this.sizesText = sizes.join(',');
		const order = (x: Variant) =>
			colors.findIndex((c) => c.toLowerCase() === x.color.toLowerCase()) * 1000 +
			sizes.findIndex((s) => s.toLowerCase() === x.size.toLowerCase());
		const draft = (x: Variant) => ({ ...x, price: yuan(x.retailPrice) });
		this.rows = [...variants].sort((a, b) => order(a) - order(b)).map(draft);
	}

	async refreshStock(): Promise<void> {
		const branchId = this.#app.device?.branchId;
		if (!branchId) return;
		const ids = this.rows.filter((r) => this.isSaved(r.id)).map((r) => r.id);
		this.onHand = Object.fromEntries(await onHandBySkus(this.#app.db, ids, branchId));
	}

	/** Rebuilds the rows from the size and colour lists; saved rows left out are kept but taken off sale. */
	generateMatrix(): void {
		const sizes = splitList(this.sizesText);
		const colors = splitList(this.colorsText);
		const { variants: _, ...rest } = this.problems;
		this.problems =
			sizes.length && colors.length ? rest : { ...rest, variants: { key: 'catalog.matrixHelp' } };
		if (!sizes.length || !colors.length) return;
		const find = (key: string) => this.rows.find((r) => pairKey(r.color, r.size) === key);
		const cells = colors.flatMap((color) =>
			sizes.map((size) => ({ color, size, row: find(pairKey(color, size)) }))
		);
		const ids = orderedIds(cells.filter((c) => !c.row).length);
		const next = cells.map(
			({ color, size, row }) =>
				row ?? { id: ids.shift() ?? newId(), color, size, barcode: '', price: '', active: true }
		);
		const left = this.rows.filter((r) => this.isSaved(r.id) && !next.includes(r));
		this.rows = [...next, ...left.map((row) => ({ ...row, active: false }))];
	}

	removeRow(id: string): void {
		if (!this.isSaved(id)) this.rows = this.rows.filter((r) => r.id !== id);
	}

	/** Fills empty barcodes (of one row, or all) with fresh in-store EAN-13 codes. */
	async generateBarcodes(onlyId?: string): Promise<void> {
		const targets = this.rows.filter((r) => !r.barcode.trim() && (onlyId === undefined || r.id === onlyId));
		if (targets.length === 0) return;
		const branchCode = this.#app.branch?.code ?? '';
		const tillCode = this.#app.device?.tillCode ?? '';
		const exclude = this.rows.map((r) => r.barcode.trim()).filter(Boolean);
		const codes = await reserveCodes(
			this.#app.db,
			'barcode:internal',
			targets.length,
			(seq) => ean13FromBody(internalBarcodeBody(branchCode, tillCode, seq)),
			exclude
		);
		const cleared = { ...this.problems };
		targets.forEach((row, i) => {
			if (row.barcode.trim()) return; // typed or scanned while the codes were being reserved
			row.barcode = codes[i] ?? '';
			delete cleared[`barcode:${row.id}`];
		});
		this.problems = cleared;
	}

	#validate(): { problems: Record<string, Problem>; retail?: Fen; levels: Record<LevelId, Fen> } {
		const problems: Record<string, Problem> = {};
		const required: Problem = { key: 'catalog.required' };
		const text = (field: 'code' | 'name' | 'season', value: string, needed: boolean) => {
			if (needed && !value.trim()) problems[field] = required;
			else if (value.trim().length > LIMITS[field])
				problems[field] = { key: 'catalog.tooLong', params: { max: LIMITS[field] } };
		};
		text('code', this.code, true);
		text('name', this.name, true);
		text('season', this.season, false);
		if (!this.#app.categories.some((c) => c.id === this.categoryId)) problems.categoryId = required;
		const price = (field: string, input: string): Fen | undefined => {
			try {
				const value = parseYuan(input);
				if (value > 0) return value;
				problems[field] = { error: new DomainError('catalog.badPrice', { value: input }) };
			} catch (error) {
				problems[field] = { error };
			}
			return undefined;
		};
		const retail = this.retail.trim() ? price('retail', this.retail) : undefined;
		if (!this.retail.trim()) problems.retail = required;
		const levels: Record<LevelId, Fen> = {};
		for (const level of this.#app.levels) {
			const input = (this.levelPrices[level.id] ?? '').trim();
			if (!input) continue;
			const value = price(`level:${level.id}`, input);
			if (value === undefined) continue;
			const params = { value: input, retail: this.retail.trim() };
			if (retail !== undefined && value > retail)
				problems[`level:${level.id}`] = { error: new DomainError('catalog.levelPriceAboveRetail', params) };
			levels[level.id] = value;
		}
		if (!this.rows.some((r) => r.active)) problems.variants = { key: 'catalog.needVariant' };
		const seen: Record<string, VariantDraft> = {};
		for (const row of this.rows) {
			if (row.price.trim()) price(`price:${row.id}`, row.price);
			const problem = barcodeProblem(row, seen);
			if (problem) problems[`barcode:${row.id}`] = problem;
		}
		return { problems, retail, levels };
	}

	#fail(problems: Record<string, Problem>): false {
		this.problems = problems;
		const count = Object.keys(problems).length;
		this.summary = { ok: false, problem: { key: 'catalog.fixErrors', params: { count } } };
		return false;
	}

	/** Validates and saves; true when saved. Nothing is written unless every check passes. */
	async save(now: number = Date.now()): Promise<boolean> {
		if (this.busy) return false;
		this.busy = true;
		try {
			return await this.#save(now);
		} catch (error) {
			this.#app.reportStorageError(error);
			const problem = catalogProblem(error);
			if (error instanceof StyleCodeTakenError)
				return this.#fail({ code: { key: 'catalog.codeTaken', params: { value: error.code } } });
			const dup = error instanceof DuplicateBarcodeError ? error.barcode : undefined;
			const row = this.rows.find((r) => r.barcode.trim() === dup);
			if (row) return this.#fail({ [`barcode:${row.id}`]: problem });
			this.summary = { ok: false, problem };
			return false;
		} finally {
			this.busy = false;
		}
	}

	async #save(now: number): Promise<boolean> {
		const { problems, retail, levels } = this.#validate();
		if (Object.keys(problems).length > 0 || retail === undefined) return this.#fail(problems);
		const { pinyinInitials } = await import('$lib/pinyin');
		const name = this.name.trim();
		const style: Style = {
			...this.#original,
			id: this.id,
			code: this.code.trim(),
			name,
			categoryId: this.categoryId,
			season: this.season.trim(),
			isNewArrival: this.isNewArrival,
			retailPrice: retail,
			levelPrices: levels,
			taxRateBp: this.#original?.taxRateBp ?? DEFAULT_TAX_BP,
			pinyinInitials: pinyinInitials(name),
			active: this.active,
			updatedAt: now
		};
		const all = this.rows.map((row) => this.#toVariant(row, now));
		const changed = all.filter((x) => {
			const saved = this.#saved[x.id];
			return !saved || !sameVariant(saved, x);
		});
		const clashes = await findBarcodeClashes(this.#app.db, changed);
		if (clashes.length > 0) {
			const clashing = changed.filter((x) => clashes.includes(x.barcode));
			return this.#fail(
				Object.fromEntries(clashing.map((x) => [`barcode:${x.id}`, barcodeTaken(x.barcode)]))
			);
		}
		await saveStyleEdit(this.#app.db, style, changed);
		if (this.#original === null) StyleEditor.#created = this;
		this.#reset(style, all); // unchanged variants equal their stored version
		this.problems = {};
		this.summary = { ok: true, problem: { key: 'catalog.saved', params: { code: style.code } } };
		await this.#app.refreshUnsynced();
		await this.refreshStock();
		return true;
	}

	#toVariant(row: VariantDraft, now: number): Variant {
		const saved = this.#saved[row.id];
		const variant: Variant = {
			...saved,
			id: row.id,
			styleId: this.id,
			barcode: row.barcode.trim(),
			size: row.size,
			color: row.color,
			active: row.active,
			updatedAt: saved?.updatedAt ?? now
		};
		if (row.price.trim()) variant.retailPrice = parseYuan(row.price);
		else delete variant.retailPrice;
		if (saved && !sameVariant(saved, variant)) variant.updatedAt = now;
		return variant;
	}

	/** Records goods received (+qty) or a count (adjust = counted - on hand) for one saved variant. */
	async recordStock(
		variantId: string,
		kind: 'receive' | 'count',
		input: string
	): Promise<{ ok: boolean; problem: Problem }> {
		const device = this.#app.device;
		const say = (ok: boolean, key: MessageKey, params?: MessageParams) => ({ ok, problem: { key, params } });
		const qty = /^\d{1,5}$/.test(input.trim()) ? Number(input.trim()) : NaN;
		if (kind === 'receive' && !(qty >= 1)) return say(false, 'catalog.stock.badQty');
		if (kind === 'count' && !(qty >= 0)) return say(false, 'catalog.stock.badCount');
		if (!device || !this.isSaved(variantId)) return say(false, 'catalog.stock.saveFirst');
		const ctx = { skuId: variantId, branchId: device.branchId, deviceId: device.deviceId, now: Date.now() };
		try {
			const movement =
				kind === 'receive'
					? await receiveStock(this.#app.db, ctx, qty)
					: await countStock(this.#app.db, ctx, qty);
			await this.refreshStock();
			await this.#app.refreshUnsynced();
			const onHand = this.onHand[variantId] ?? 0;
			if (!movement) return say(true, 'catalog.stock.unchanged');
			if (kind === 'receive') return say(true, 'catalog.stock.received', { qty, onHand });
			const delta = movement.qty > 0 ? `+${movement.qty}` : String(movement.qty);
			return say(true, 'catalog.stock.adjusted', { delta, onHand });
		} catch (error) {
			this.#app.reportStorageError(error);
			return { ok: false, problem: { error } };
		}
	}
}

/** Problem of a row's barcode, if any: missing, malformed, or already typed on an earlier row (`seen`). */
function barcodeProblem(row: VariantDraft, seen: Record<string, VariantDraft>): Problem | undefined {
	const code = row.barcode.trim();
	if (!code) return { key: 'catalog.required' };
	try {
		classifyBarcode(code);
	} catch (error) {
		return { error };
	}
	const keys = barcodeLookupKeys(code);
	const first = keys.map((k) => seen[k]).find((r) => r !== undefined);
	for (const k of keys) seen[k] ??= row;
	return first && { key: 'catalog.duplicateInForm', params: { color: first.color, size: first.size } };
}

/** Same sellable content (what a save must write and replicate when it changes). */
const sameVariant = (a: Variant, b: Variant): boolean =>
	[a.barcode, a.size, a.color, a.active, a.retailPrice].join('\u0000') ===
	[b.barcode, b.size, b.color, b.active, b.retailPrice].join('\u0000');
