/**
 * Devices for engine tests and the simulation: each with its own Dexie database (fake-indexeddb, distinct names),
 * its own y-indexeddb documents and its own SyncEngine, all talking to one in-process relay over a SimNetwork.
 * Every device starts from the same base data, like tills seeded from the chain's demo file.
 */
import 'fake-indexeddb/auto';
import { fen } from '../../src/lib/domain/money';
import type { Style, Variant } from '../../src/lib/domain/catalog';
import { demoMembership } from '../../src/lib/demo/membership';
import { BranchlineDb } from '../../src/lib/storage/db';
import { saveMembership } from '../../src/lib/storage/membership';
import { SyncEngine, type EngineOptions } from '../../src/lib/sync/engine';
import * as Y from 'yjs';
import { indexeddbPersistence, type PersistenceFactory } from '../../src/lib/sync/docs';
import type { SyncLogEvent } from '../../src/lib/sync/materialize';
import type { DeviceClaims, Role } from '../../src/lib/sync/protocol';
import type { SimNetwork } from './net';
import { simToken } from './relay';

// Every y-websocket provider registers a process 'exit' listener; a simulated chain has thousands of them.
process.setMaxListeners(0);

export const CHAIN = 'simchain';
export const RELAY_URL = 'ws://relay.sim';

export interface DeviceSpec {
	id: string;
	branch: string;
	branchCode: string;
	tillCode: string;
	role: Role;
}

/**
 * Local document storage kept in memory across engine restarts: y-indexeddb's contract (every update stored,
 * all loaded on open) without a fake-indexeddb write per update (about 5 % of a simulation's run time).
 */
export function memoryPersistence(store: Map<string, Uint8Array[]>): PersistenceFactory {
	return (name, doc) => {
		const self = {
			whenSynced: Promise.resolve(),
			destroy: () => doc.off('update', save)
		};
		const save = (update: Uint8Array, origin: unknown) => {
			if (origin === self) return;
			const list = store.get(name);
			if (list) list.push(update);
			else store.set(name, [update]);
		};
		const saved = store.get(name) ?? [];
		if (saved.length) Y.applyUpdate(doc, Y.mergeUpdates(saved), self);
		doc.on('update', save);
		return self;
	};
}

export class SimDevice {
	/** The device's documents when it runs with memory persistence (they survive engine restarts). */
	readonly savedDocs = new Map<string, Uint8Array[]>();

	readonly db: BranchlineDb;
	engine: SyncEngine | null = null;
	readonly logs: SyncLogEvent[] = [];

	constructor(
		readonly spec: DeviceSpec,
		readonly dbName: string,
		private readonly net: SimNetwork,
		private readonly engineOptions: Partial<EngineOptions> = {},
		private readonly persistence: 'indexeddb' | 'memory' = 'indexeddb'
	) {
		this.db = new BranchlineDb(dbName);
	}

	get claims(): DeviceClaims {
		return { chain: CHAIN, branch: this.spec.branch, device: this.spec.id, role: this.spec.role };
	}

	async start(): Promise<SyncEngine> {
		const engine = new SyncEngine({
			db: this.db,
			claims: this.claims,
			url: RELAY_URL,
			token: simToken(this.claims),
			WebSocketPolyfill: this.net.socketClass(this.spec.id),
			persistence:
				this.persistence === 'memory'
					? memoryPersistence(this.savedDocs)
					: indexeddbPersistence(`${this.dbName}:`),
			maxBackoffTime: 50,
			queryDelayMs: 5,
			retryMs: 250,
			batchDelayMs: 40,
			reconnectAfterMs: 2_000,
			log: (event) => this.logs.push(event),
			...this.engineOptions
		});
		this.engine = engine;
		await engine.start();
		return engine;
	}

	/** Remote rows written and lww values put back, over every engine this device ran. */
	readonly counters = { materialized: 0, reasserted: 0, batches: 0 };

	async stop(): Promise<void> {
		if (this.engine) {
			this.counters.materialized += this.engine.counters.materialized;
			this.counters.reasserted += this.engine.counters.reasserted;
			this.counters.batches += this.engine.counters.batches;
		}
		await this.engine?.stop();
		this.engine = null;
	}

	/** A local commit happened: what the sync client's ping does in the app. */
	notify(): void {
		this.engine?.notifyOutbox();
	}
}

export interface Base {
	branches: { id: string; code: string; name: string; address: string; phone: string }[];
	styles: Style[];
	variants: Variant[];
}

/** A small chain every device starts from: branches, two categories, a catalog, the membership programme. */
export function baseChain(branches: number, styles: number): Base {
	const at = 1_700_000_000_000;
	const bs = Array.from({ length: branches }, (_, i) => {
		const code = `B${String(i + 1).padStart(2, '0')}`;
		return { id: `br-${code}`, code, name: `门店${i + 1}`, address: '', phone: '' };
	});
	const ss: Style[] = [];
	const vs: Variant[] = [];
	for (let i = 1; i <= styles; i++) {
		const id = `sty-${i}`;
		ss.push({
			id,
			code: `BL-${String(i).padStart(4, '0')}`,
			name: `款式${i}`,
			categoryId: i % 2 ? 'cat-top' : 'cat-pants',
			season: '2026SS',
			isNewArrival: i % 5 === 0,
			retailPrice: fen(9900 + (i % 7) * 1000),
			levelPrices: {},
			taxRateBp: 1300,
			pinyinInitials: `ks${i}`,
			active: true,
			updatedAt: at
		});
		for (const size of ['M', 'L'])
			vs.push({
				id: `sku-${i}-${size}`,
				styleId: id,
				barcode: `69000${String(i).padStart(4, '0')}${size === 'M' ? '1' : '2'}`,
				size,
				color: '黑色',
				active: true,
				updatedAt: at
			});
	}
	return { branches: bs, styles: ss, variants: vs };
}

export async function seedBase(db: BranchlineDb, base: Base): Promise<void> {
	const membership = demoMembership();
	await db.transaction('rw', db.tables, async () => {
		await db.branches.bulkPut(base.branches);
		await db.categories.bulkPut([
			{ id: 'cat-top', name: '上装' },
			{ id: 'cat-pants', name: '裤装' }
		]);
		await db.levels.bulkPut(membership.levels);
		await db.styles.bulkPut(base.styles);
		await db.variants.bulkPut(base.variants);
		await db.meta.put({ key: 'chainId', value: CHAIN });
	});
	await saveMembership(db, membership);
}

/** Resolves when `cond` holds, checking every `every` ms; throws after `timeout` ms. */
export async function waitFor(
	cond: () => boolean | Promise<boolean>,
	timeout = 10_000,
	every = 10
): Promise<void> {
	const until = Date.now() + timeout;
	for (;;) {
		if (await cond()) return;
		if (Date.now() > until) throw new Error('timed out waiting for a condition');
		await new Promise((r) => setTimeout(r, every));
	}
}
