/**
 * The sync engine: keeps a till's documents open, persisted and connected, pushes the outbox into them and
 * materializes what other devices write. Designed to run in a dedicated Worker (worker.ts) so the UI thread never
 * loads a Y.Doc; runs in-process too (tests, the simulation).
 *
 * All work happens in one serial pump — materialize remote changes, write outbox rows, acknowledge rows the relay
 * has — triggered by "outbox changed" pings, remote updates, relay state vectors and a retry timer. Nothing in the
 * pump is lost on a crash: rows stay in the outbox until acknowledged, and the materialization checkpoint makes a
 * restarted engine re-read any document whose persisted state the tables may not hold.
 */
import Dexie from 'dexie';
import type { BranchlineDb } from '$lib/storage/db';
import { access, type DeviceClaims } from './protocol';
import { deviceDocs, type LayoutContext } from './layout';
import { indexeddbPersistence, type DocHandle, type PersistenceFactory } from './docs';
import { DocSet } from './docset';
import { DUPLICATE_PHONES_KEY, materialize, type SyncLogEvent } from './materialize';
import { reassert, RemoteChanges, upToDate } from './reader';
import { stillHigher } from './rules';
import { parseKey, rootMap } from './layout';
import { connectionState, stoppedStatus, type SyncStatus } from './status';
import { OutboxWriter, type WriterContext } from './writer';

export interface EngineOptions {
	db: BranchlineDb;
	claims: DeviceClaims;
	/** Relay websocket URL; null runs without a relay (local persistence and materialization only). */
	url: string | null;
	token: string;
	/** The chain's time zone for month periods (China: 480, the default). */
	utcOffsetMinutes?: number;
	now?: () => number;
	/** Local persistence of documents; y-indexeddb by default, null for none. */
	persistence?: PersistenceFactory | null;
	WebSocketPolyfill?: unknown;
	/** Default true: one engine per device, so no cross-tab BroadcastChannel shortcut. */
	disableBc?: boolean;
	maxBackoffTime?: number;
	/** Wait after a remote update before materializing (one Dexie transaction for a burst). */
	batchDelayMs?: number;
	/** Wait after a write before asking the relay for its state vector (one round trip for a burst). */
	queryDelayMs?: number;
	/** How often unacknowledged rows are asked about again. */
	retryMs?: number;
	/** A relay that leaves queries unanswered this long is asked by reconnecting (its step 1 on open). */
	reconnectAfterMs?: number;
	log?: (event: SyncLogEvent) => void;
	/** The read path's writer (the simulation swaps in a broken one to prove it notices). */
	materializer?: typeof materialize;
}

export class SyncEngine {
	private readonly docs: DocSet;
	private readonly writer = new OutboxWriter();
	private readonly changes = new RemoteChanges();
	private readonly statusListeners = new Set<(status: SyncStatus) => void>();
	private readonly tableListeners = new Set<(tables: string[]) => void>();
	private readonly layout: LayoutContext;
	private readonly now: () => number;
	private current: SyncStatus = stoppedStatus();
	private running = false;
	private online = true;
	private pumping: Promise<void> | null = null;
	private again = false;
	private timers: ReturnType<typeof setInterval>[] = [];
	private queryTimer: ReturnType<typeof setTimeout> | null = null;
	private remoteTimer: ReturnType<typeof setTimeout> | null = null;
	private statusTimer: ReturnType<typeof setTimeout> | null = null;
	private retries = 0;
	/** Documents whose relay state or content changed since acknowledgements were last looked at. */
	private readonly ackDirty = new Set<string>();
	private fullAck = true;
	/** The outbox may hold rows not yet written (a ping, a start, the periodic safety pass). */
	private outboxDirty = true;
	private readonly toQuery = new Set<DocHandle>();
	private lastSyncAt: number | null = null;
	private error: string | null = null;
	private readonly skipped = stoppedStatus().skipped;
	/** Work done since start (diagnostics, the simulation's statistics). */
	readonly counters = { materialized: 0, reasserted: 0, batches: 0 };

	private token: string;

	constructor(private readonly opts: EngineOptions) {
		this.token = opts.token;
		this.docs = new DocSet({
			persistence: opts.persistence === undefined ? indexeddbPersistence() : opts.persistence,
			transport: () =>
				opts.url
					? {
							url: opts.url,
							token: this.token,
							WebSocketPolyfill: opts.WebSocketPolyfill,
							disableBc: opts.disableBc ?? true,
							maxBackoffTime: opts.maxBackoffTime ?? 2_500
						}
					: null,
			events: {
				remote: (h, event) => {
					this.changes.record(h, event);
					this.scheduleSoon();
				},
				stateVector: (h) => {
					this.ackDirty.add(h.name);
					this.lastSyncAt = this.now();
					this.schedule();
				},
				connection: (h) => {
					if (h.synced) {
						this.lastSyncAt = this.now();
						// Our step 2 went out before the relay's reply that made us synced: ask what it has now.
						if (this.writer.waitingDocs().has(h.name)) {
							this.toQuery.add(h);
							this.armQuery();
						}
					}
					this.schedule();
				}
			},
			// A document whose persisted state the tables may not hold is read in full, before it connects.
			loaded: async (h) => {
				if (!(await upToDate(opts.db, h))) this.changes.recordAll(h);
			},
			connectable: () => ({ running: this.running, online: this.online })
		});
		this.layout = {
			chain: opts.claims.chain,
			branch: opts.claims.branch,
			utcOffsetMinutes: opts.utcOffsetMinutes ?? 480
		};
		this.now = opts.now ?? Date.now;
	}

	get status(): SyncStatus {
		return this.current;
	}

	/** Calls `fn` with the status now and on every change; returns the unsubscribe function. */
	subscribe(fn: (status: SyncStatus) => void): () => void {
		this.statusListeners.add(fn);
		fn(this.current);
		return () => this.statusListeners.delete(fn);
	}

	/** Calls `fn` with the tables remote rows were written into. */
	onMaterialized(fn: (tables: string[]) => void): () => void {
		this.tableListeners.add(fn);
		return () => this.tableListeners.delete(fn);
	}

	/** Opens and loads the device's documents, reconciles the tables with them, then connects and pumps. */
	async start(): Promise<void> {
		if (this.running) return;
		this.running = true;
		this.writer.stuck.clear();
		this.outboxDirty = this.fullAck = true;
		this.emit({ ...this.current, state: 'starting' });
		await this.docs.watch(await this.wantedDocs());
		const retry = this.opts.retryMs ?? 2_000;
		this.timers.push(setInterval(() => this.retry(), retry));
		this.timers.push(setInterval(() => void this.rollOver(), 60_000));
		this.schedule();
	}

	async stop(): Promise<void> {
		if (!this.running) return;
		this.running = false;
		for (const t of this.timers) clearInterval(t);
		this.timers = [];
		if (this.queryTimer) clearTimeout(this.queryTimer);
		if (this.remoteTimer) clearTimeout(this.remoteTimer);
		if (this.statusTimer) clearTimeout(this.statusTimer);
		await this.pumping;
		await this.docs.destroy();
		this.writer.clear();
		this.changes.clear();
		this.emit(stoppedStatus());
	}

	/** A local transaction added outbox rows. */
	notifyOutbox(): void {
		this.outboxDirty = true;
		this.schedule();
	}

	/** Staff work offline (false) or go back online (true). Writes continue into the local documents. */
	setOnline(online: boolean): void {
		this.online = online;
		this.docs.setOnline(online);
		void this.refreshStatus();
	}

	/**
	 * A refreshed device token (the relay's tokens expire; it closes with 4001 and the sockets reconnect with
	 * whatever token they hold then).
	 */
	setToken(token: string): void {
		this.token = token;
		this.docs.setToken(token);
	}

	/** Resolves when the pump has nothing left to do, remote changes waiting for their batch included. */
	async idle(): Promise<void> {
		for (;;) {
			if (this.pumping) await this.pumping;
			else if (this.changes.size && this.running) this.schedule();
			else return;
		}
	}

	/** Why each outbox row is still there (support screens, tests): stuck, waiting for the relay, or not yet written. */
	async explainOutbox(): Promise<{ row: string; table: string; state: string }[]> {
		return this.writer.explain(await this.opts.db.outbox.toArray(), this.docs.docs);
	}

	/** The open documents (tests and the simulation inspect them). */
	get openDocs(): ReadonlyMap<string, DocHandle> {
		return this.docs.docs;
	}

	private writerContext(): WriterContext {
		return {
			db: this.opts.db,
			claims: this.opts.claims,
			layout: this.layout,
			docs: this.docs.docs,
			open: (ref, name) => this.docs.open(ref, name),
			log: (event) => this.log(event)
		};
	}

	/** Remote updates come in bursts (a resync, a busy branch): one batch for all of them. */
	private scheduleSoon(): void {
		if (this.remoteTimer || !this.running) return;
		this.remoteTimer = setTimeout(() => {
			this.remoteTimer = null;
			this.schedule();
		}, this.opts.batchDelayMs ?? 15);
	}

	private schedule(): void {
		if (!this.running) return;
		if (this.pumping) {
			this.again = true;
			return;
		}
		// The pump runs outside any transaction of whoever pinged it (a Dexie zone would otherwise be inherited).
		this.pumping = Dexie.ignoreTransaction(() => this.pump()).finally(() => {
			this.pumping = null;
			if (this.again && this.running) this.schedule();
		});
	}

	private async pump(): Promise<void> {
		do {
			this.again = false;
			try {
				await this.flushRemote();
				const ctx = this.writerContext();
				// Each step only when something asked for it: most pumps are a state vector or a remote burst.
				if (this.outboxDirty) {
					this.outboxDirty = false;
					const { written, kept, more } = await this.writer.drain(ctx);
					for (const { handle, key } of kept) this.changes.recordKey(handle, key);
					if (kept.length) this.again = true;
					for (const handle of written) {
						this.toQuery.add(handle);
						this.ackDirty.add(handle.name);
					}
					if (written.size) this.armQuery();
					if (more) this.outboxDirty = this.again = true;
				}
				if (this.fullAck || this.ackDirty.size) {
					const dirty = this.fullAck ? undefined : new Set(this.ackDirty);
					this.ackDirty.clear();
					this.fullAck = false;
					if ((await this.writer.acknowledge(ctx, dirty)) > 0) this.lastSyncAt = this.now();
				}
				await this.docs.closeIdle(this.writer.waitingDocs());
				this.error = null;
			} catch (error) {
				this.error = error instanceof Error ? error.message : String(error);
				this.log({ level: 'error', code: 'engine.pump', message: this.error });
			}
			this.statusSoon();
		} while (this.again && this.running);
	}

	private async flushRemote(): Promise<void> {
		if (this.changes.size === 0) return;
		const byShard = this.docs.ledgerByShard();
		const { changes, checkpoints, items } = this.changes.take((shard) => byShard.get(shard) ?? []);
		// A remote value may now hold a key a row waits on (a higher version): look at those rows again.
		for (const name of checkpoints.keys()) this.ackDirty.add(name);
		const run = this.opts.materializer ?? materialize;
		let result;
		try {
			result = await run(this.opts.db, changes, {
				deviceId: this.opts.claims.device,
				checkpoints,
				log: (event) => this.log(event)
			});
		} catch (error) {
			this.changes.restore(items);
			throw error;
		}
		for (const [reason, n] of Object.entries(result.skipped))
			this.skipped[reason as keyof typeof this.skipped] += n;
		// Only into documents this device may write (a cashier leaves the catalog to a manager's till).
		const put = reassert(this.docs.docs, result.reassert, (handle, key, value) => {
			const table = parseKey(rootMap(handle.ref), key)?.table;
			if (access(this.opts.claims, handle.ref) !== 'write') return false;
			return !!table && stillHigher(table, value, handle.map.get(key));
		});
		this.counters.reasserted += put;
		this.counters.materialized += result.written;
		this.counters.batches++;
		if (put)
			for (const h of new Set(result.reassert.map((r) => this.docs.get(r.doc))))
				if (h) {
					this.toQuery.add(h);
					this.ackDirty.add(h.name);
				}
		if (put) this.armQuery();
		if (result.tables.length) for (const fn of this.tableListeners) fn(result.tables);
	}

	/** Asks the relay about freshly written documents after a short pause (one query for a burst of rows). */
	private armQuery(): void {
		if (this.queryTimer) return;
		this.queryTimer = setTimeout(() => {
			this.queryTimer = null;
			const now = this.now();
			for (const handle of this.toQuery) handle.query(now);
			this.toQuery.clear();
		}, this.opts.queryDelayMs ?? 30);
	}

	/** The device's documents; an owner's device also reads every branch's sales and stock (the relay allows it). */
	private async wantedDocs() {
		const readBranches =
			this.opts.claims.role === 'owner'
				? (await this.opts.db.branches.toCollection().primaryKeys()).map(String)
				: [];
		return deviceDocs({ ...this.layout, readBranches }, this.now());
	}

	/** Asks again about rows still waiting; reconnects documents whose relay ignores the question. */
	private retry(): void {
		const now = this.now();
		const retryMs = this.opts.retryMs ?? 2_000;
		const reconnectAfter = this.opts.reconnectAfterMs ?? 10_000;
		for (const name of this.writer.waitingDocs()) {
			const handle = this.docs.get(name);
			if (!handle?.connected) continue;
			if (handle.queriedAt && now - handle.queriedAt > reconnectAfter) {
				handle.queriedAt = 0;
				handle.reconnect();
			} else if (now - handle.lastQueryAt >= retryMs) handle.query(now);
		}
		// Acknowledgements arrive as state vectors and schedule the pump; a full pass now and then is the safety net
		// for a missed "outbox changed" ping.
		if (++this.retries % 10 === 0) this.fullAck = this.outboxDirty = true;
		if (this.changes.size || this.fullAck) this.schedule();
	}

	/** At a new month: opens the new documents, lets go of those no longer watched once nothing waits on them. */
	private async rollOver(): Promise<void> {
		if (!this.running) return;
		await this.docs.watch(await this.wantedDocs());
		this.schedule();
	}

	/** Status at most every 100 ms: a burst of pumps (a resync) reads the outbox count once. */
	private statusSoon(): void {
		if (this.statusTimer || !this.running) return;
		this.statusTimer = setTimeout(() => {
			this.statusTimer = null;
			this.refreshStatus().catch((error: unknown) =>
				this.log({ level: 'error', code: 'engine.status', message: String(error) })
			);
		}, 100);
	}

	private async refreshStatus(): Promise<void> {
		const handles = this.docs.watched();
		const duplicates = (await this.opts.db.meta.get(DUPLICATE_PHONES_KEY))?.value;
		this.emit({
			...connectionState(handles, this.running, this.online),
			unsynced: await this.opts.db.outbox.count(),
			stuck: this.writer.stuck.size,
			lastSyncAt: this.lastSyncAt,
			skipped: { ...this.skipped },
			duplicatePhones: Array.isArray(duplicates) ? duplicates.length : 0,
			error: this.error
		});
	}

	private emit(status: SyncStatus): void {
		if (JSON.stringify(status) === JSON.stringify(this.current)) return;
		this.current = status;
		for (const fn of this.statusListeners) fn(status);
	}

	private log(event: SyncLogEvent): void {
		if (this.opts.log) this.opts.log(event);
		else
			console[event.level === 'info' ? 'info' : event.level === 'warn' ? 'warn' : 'error'](
				`[sync] ${event.code}: ${event.message}`
			);
	}
}
