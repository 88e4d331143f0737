/**
 * The catalog in memory, by barcode, so a scan finds its SKU without waiting for IndexedDB and the line is
 * painted in the same task as the scan (issue 5: scan-to-line). Loaded in the background in small pages after
 * the till starts; until it is complete, and again for a moment after any catalog change, `lookup` answers
 * `undefined` and the caller reads IndexedDB as before (findSkuByBarcode). Never a source of truth: any write
 * to styles or variants, here or in another tab or the sync worker (Dexie's storagemutated event), throws the
 * whole index away and loads it again.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Style, Variant } from '$lib/domain/catalog';
import { barcodeLookupKeys } from '$lib/domain/barcode';
import type { BranchlineDb } from './db';
import type { SkuView } from './catalog';

/** Rows per IndexedDB read: each page is deserialized on the main thread, so keep one page well under a frame. */
const PAGE = 2_000;
/** Catalog writes often come in bursts (an import, a sync batch): reload once the burst is over. */
const RELOAD_AFTER_MS = 1_000;

export class SkuIndex {
	readonly #db: BranchlineDb;
	#byBarcode = new Map<string, Variant>();
	#styles = new Map<string, Style>();
	#complete = false;
	/** Bumped by every catalog change: a load that started before it stops and leaves the index empty. */
	#generation = 0;
	#reloadTimer: ReturnType<typeof setTimeout> | undefined;
	#unwatch: (() => void) | undefined;

	constructor(db: BranchlineDb) {
		this.#db = db;
	}

	get complete(): boolean {
		return this.#complete;
	}

	/**
	 * The SKU of a scanned code when the index is complete: the view, or null when no variant has that code.
	 * undefined when the index cannot answer (still loading, or a catalog change is being reloaded).
	 */
	lookup(code: string): SkuView | null | undefined {
		if (!this.#complete) return undefined;
		for (const key of barcodeLookupKeys(code)) {
			const variant = this.#byBarcode.get(key);
			if (!variant) continue;
			const style = this.#styles.get(variant.styleId);
			if (style) return { variant, style };
		}
		return null;
	}

	/** Watches the catalog tables and loads the index; resolves when loaded (or superseded by a change). */
	start(): Promise<void> {
		if (!this.#unwatch) {
			const prefixes = [`idb://${this.#db.name}/variants/`, `idb://${this.#db.name}/styles/`];
			const listener = (parts: Record<string, unknown>) => {
				if (Object.keys(parts).some((key) => prefixes.some((p) => key.startsWith(p)))) this.#invalidate();
			};
			Dexie.on('storagemutated', listener);
			this.#unwatch = () => Dexie.on('storagemutated').unsubscribe(listener);
		}
		return this.#load();
	}

	stop(): void {
		this.#unwatch?.();
		this.#unwatch = undefined;
		clearTimeout(this.#reloadTimer);
		this.#generation++;
		this.#clear();
	}

	#invalidate(): void {
		this.#generation++;
		this.#clear();
		clearTimeout(this.#reloadTimer);
		this.#reloadTimer = setTimeout(() => void this.#load(), RELOAD_AFTER_MS);
	}

	#clear(): void {
		this.#complete = false;
		this.#byBarcode = new Map();
		this.#styles = new Map();
	}

	async #load(): Promise<void> {
		const generation = ++this.#generation;
		this.#clear();
		const byBarcode = new Map<string, Variant>();
		const styles = new Map<string, Style>();
		const current = () => generation === this.#generation;
		const ok =
			(await this.#pages(this.#db.styles, current, (s: Style) => styles.set(s.id, s))) &&
			(await this.#pages(this.#db.variants, current, (v: Variant) => byBarcode.set(v.barcode, v)));
		if (!ok || !current()) return;
		this.#byBarcode = byBarcode;
		this.#styles = styles;
		this.#complete = true;
	}

	/** Reads a table in primary-key pages, yielding to the event loop between pages; false when superseded. */
	async #pages<T extends { id: string }>(
		table: EntityTable<T, 'id'>,
		current: () => boolean,
		add: (row: T) => void
	): Promise<boolean> {
		let after: string | null = null;
		for (;;) {
			if (!current()) return false;
			const page: T[] = await (after === null ? table.orderBy(':id') : table.where(':id').above(after))
				.limit(PAGE)
				.toArray();
			for (const row of page) add(row);
			const last = page.at(-1);
			if (!last || page.length < PAGE) return current();
			after = last.id;
			await new Promise((resolve) => setTimeout(resolve, 0));
		}
	}
}
