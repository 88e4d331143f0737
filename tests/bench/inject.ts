/**
 * Bench-only bundle, built by bundle.ts into an IIFE and added to a page of the app's origin. It opens the till's
 * own database through the app's code (BranchlineDb, importDemoSeed, commitSale, findMember) and exposes
 * `window.__bench` (see BenchApi in types.ts). Never shipped: it lives in tests/bench, not in src/.
 */
import { BranchlineDb } from '../../src/lib/storage/db';
import { parseDemoSeed } from '../../src/lib/schema/seed';
import { importDemoSeed } from '../../src/lib/storage/seed';
import { chunkBase, convertChunk } from './capture';
import { commitSale } from '../../src/lib/storage/sales';
import { findMember } from '../../src/lib/storage/members';
import { findSkuByBarcode, onHand } from '../../src/lib/storage/catalog';
import { saveCart } from '../../src/lib/storage/carts';
import { localDateKey } from '../../src/lib/domain/saleNumber';
import type { Cart } from '../../src/lib/domain/cart';
import type {
	BenchApi,
	BigTable,
	CommitCase,
	CommitSample,
	FloorSamples,
	LookupSamples,
	ScanSplits
} from './types';

const db = new BranchlineDb();
/** Diagnostics only: the same database and code with 'relaxed' durability, to show what the fsync costs. */
const relaxedDb = new BranchlineDb();
(
	relaxedDb as unknown as { _options: { chromeTransactionDurability: string } }
)._options.chromeTransactionDurability = 'relaxed';
const inFlight: Promise<number>[] = [];
let committed = 0;
let firstError: unknown = null;
let base: Record<string, unknown> = {};

function parseLines(ndjson: string): unknown[] {
	const rows: unknown[] = [];
	for (const line of ndjson.split('\n')) if (line) rows.push(JSON.parse(line));
	return rows;
}

function write(table: BigTable, rows: unknown[]): Promise<number> {
	// Rows as importDemoSeed (or, for sales, chain.ts) shaped them; Dexie's untyped table API takes them as they are.
	return db
		.table(table)
		.bulkPut(rows)
		.then(() => rows.length);
}

/** Resolves after the next frame has been produced: rAF, then a task queued behind that frame's paint. */
function nextPaint(): Promise<void> {
	return new Promise((resolve) =>
		requestAnimationFrame(() => {
			const channel = new MessageChannel();
			channel.port1.onmessage = () => resolve();
			channel.port2.postMessage(0);
		})
	);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
	});
}

function openRaw(): Promise<IDBDatabase> {
	return request(indexedDB.open(db.name));
}

function done(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
		tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
	});
}

const api: BenchApi = {
	async seedHeader(header) {
		base = chunkBase(header as Record<string, unknown>);
		const { staff, openingBalances } = header as { staff: unknown; openingBalances: unknown };
		const parsed = parseDemoSeed({ ...base, staff, openingBalances });
		if (!parsed.ok) throw new Error(`chain header rejected: ${parsed.problems.join('; ')}`);
		await importDemoSeed(db, parsed.seed);
	},

	tables() {
		return Promise.resolve(db.tables.map((t) => t.name));
	},

	async put(table, ndjson) {
		if (firstError) throw firstError;
		const t0 = performance.now();
		const rows = await convertChunk(base, table, parseLines(ndjson));
		const parseMs = performance.now() - t0;
		const pending = write(table, rows);
		inFlight.push(pending);
		pending.then(
			(n) => (committed += n),
			(error: unknown) => (firstError ??= error)
		);
		while (inFlight.length >= 2) await inFlight.shift()?.catch(() => 0);
		return { rows: rows.length, parseMs };
	},

	async drain() {
		while (inFlight.length) await inFlight.shift()?.catch(() => 0);
		if (firstError) {
			const error = firstError;
			firstError = null;
			throw error instanceof Error ? error : new Error(String(error));
		}
		const rows = committed;
		committed = 0;
		return { rows };
	},

	async counts() {
		const out: Record<string, number> = {};
		for (const table of db.tables) out[table.name] = await table.count();
		return out;
	},

	async usageBytes() {
		return (await navigator.storage.estimate()).usage ?? 0;
	},

	async floors(phones, n) {
		const raw = await openRaw();
		const out: FloorSamples = { strictPutMs: [], rawGetMs: [], rafMs: [] };
		try {
			for (let i = 0; i < n; i++) {
				const t0 = performance.now();
				const tx = raw.transaction('meta', 'readwrite', { durability: 'strict' });
				tx.objectStore('meta').put({ key: 'bench-floor', value: i });
				await done(tx);
				out.strictPutMs.push(performance.now() - t0);
			}
			for (let i = 0; i < n; i++) {
				const phone = phones[i % phones.length] ?? '';
				const t0 = performance.now();
				const tx = raw.transaction('members', 'readonly');
				await request(tx.objectStore('members').index('phone').get(phone));
				out.rawGetMs.push(performance.now() - t0);
			}
			for (let i = 0; i < n; i++) {
				// A random phase, as a scan arrives at any point of the frame.
				await new Promise((resolve) => setTimeout(resolve, Math.random() * 17));
				const t0 = performance.now();
				await nextPaint();
				out.rafMs.push(performance.now() - t0);
			}
		} finally {
			raw.close();
		}
		return out;
	},

	async lookups(phones, last4s) {
		const out: LookupSamples = { phoneMs: [], last4Ms: [], last4Rows: [], phoneMisses: 0 };
		for (const phone of phones) {
			const t0 = performance.now();
			const member = await findMember(db, phone);
			out.phoneMs.push(performance.now() - t0);
			if (!member) out.phoneMisses++;
		}
		for (const last4 of last4s) {
			const t0 = performance.now();
			const rows = await db.members.where('phoneLast4').equals(last4).limit(20).toArray();
			out.last4Ms.push(performance.now() - t0);
			out.last4Rows.push(rows.length);
		}
		return out;
	},

	async commits(cases: CommitCase[], branchCode: string, durability = 'strict') {
		const target = durability === 'relaxed' ? relaxedDb : db;
		const samples: CommitSample[] = [];
		for (const { draft, staffId } of cases) {
			const now = Date.now();
			// commitSale refuses a cart that is gone (already sold): give each sale its open cart row.
			await target.carts.put({
				id: draft.cartId,
				status: 'open',
				label: '',
				staffId,
				cart: { id: draft.cartId, lines: [], createdAt: now, updatedAt: now },
				updatedAt: now
			});
			const stamped = {
				...draft,
				sale: { ...draft.sale, createdAt: now },
				movements: draft.movements.map((m) => ({ ...m, createdAt: now }))
			};
			const dateKey = localDateKey(now, -new Date(now).getTimezoneOffset());
			const t0 = performance.now();
			await commitSale(target, stamped, { branchCode, tillCode: 'T9', dateKey });
			samples.push({ ms: performance.now() - t0 });
		}
		return samples;
	},

	async scanSplits(barcodes, branchId) {
		const out: ScanSplits = { findSkuMs: [], onHandMs: [], saveCartMs: [] };
		const cartId = `bench-cart-${Date.now()}`;
		const lines: Cart['lines'] = [];
		for (const code of barcodes) {
			let t0 = performance.now();
			const sku = await findSkuByBarcode(db, code);
			out.findSkuMs.push(performance.now() - t0);
			if (!sku) throw new Error(`barcode ${code} not found`);
			t0 = performance.now();
			await onHand(db, sku.variant.id, branchId);
			out.onHandMs.push(performance.now() - t0);
			const now = Date.now();
			if (lines.length >= 20) lines.length = 0;
			lines.push({
				lineId: `${cartId}-${out.findSkuMs.length}`,
				skuId: sku.variant.id,
				qty: 1,
				addedAt: now
			});
			t0 = performance.now();
			await saveCart(db, {
				id: cartId,
				status: 'suspended',
				label: 'bench',
				staffId: '',
				cart: { id: cartId, lines: [...lines], createdAt: now, updatedAt: now },
				updatedAt: now
			});
			out.saveCartMs.push(performance.now() - t0);
		}
		await db.carts.delete(cartId);
		return out;
	},

	close() {
		db.close();
		relaxedDb.close();
	}
};

window.__bench = api;
