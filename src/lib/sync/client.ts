/**
 * The main thread's side of sync: starts the sync worker, pings it after local commits that touched the outbox,
 * and exposes its status as a tiny observable (`subscribe(fn)` returns the unsubscribe function — the Svelte store
 * contract, so `$status` works in a component, but nothing here imports Svelte).
 *
 *   const sync = startSync(db, { dbName: db.name, url, token, claims, utcOffsetMinutes: 480 });
 *   const stop = sync.subscribe((s) => (unsynced = s.unsynced));
 */
import type { BranchlineDb } from '$lib/storage/db';
import { onOutboxCommitted } from '$lib/storage/syncHooks';
import { stoppedStatus, type FromWorker, type SyncStatus, type ToWorker, type WorkerConfig } from './status';
import type { SyncLogEvent } from './materialize';

/** What the client needs of a Worker (tests pass a fake). */
export interface WorkerLike {
	postMessage(message: ToWorker): void;
	onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
	terminate(): void;
}

export interface SyncClient {
	readonly status: SyncStatus;
	subscribe(fn: (status: SyncStatus) => void): () => void;
	/** Remote rows arrived in these tables (refresh views over them). */
	onMaterialized(fn: (tables: string[]) => void): () => void;
	onLog(fn: (event: SyncLogEvent) => void): () => void;
	/** Tell the worker now instead of waiting for its own notice (Dexie's cross-context event does it too). */
	outboxChanged(): void;
	setOnline(online: boolean): void;
	/** Hands a refreshed device token to the engine (used from the next reconnect on). */
	setToken(token: string): void;
	/** Stops the engine (documents closed and persisted) and the worker. */
	stop(): Promise<void>;
}

export function createSyncWorker(): WorkerLike {
	// The URL form lets Vite bundle the worker as its own chunk (build output: _app/immutable/workers/).
	return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

export function startSync(
	db: BranchlineDb,
	config: WorkerConfig,
	worker: WorkerLike = createSyncWorker()
): SyncClient {
	let status = stoppedStatus();
	const statusFns = new Set<(s: SyncStatus) => void>();
	const tableFns = new Set<(tables: string[]) => void>();
	const logFns = new Set<(event: SyncLogEvent) => void>();
	let stopped: (() => void) | null = null;
	let pingQueued = false;
	const send = (message: ToWorker) => worker.postMessage(message);

	worker.onmessage = ({ data }) => {
		switch (data.type) {
			case 'status':
				status = data.status;
				for (const fn of statusFns) fn(status);
				break;
			case 'materialized':
				for (const fn of tableFns) fn(data.tables);
				break;
			case 'log':
				for (const fn of logFns) fn(data.event);
				break;
			case 'stopped':
				stopped?.();
				break;
		}
	};
	send({ type: 'start', config });
	const ping = () => {
		// One ping per burst of commits (a sale commits once, an import many times in a row).
		if (pingQueued) return;
		pingQueued = true;
		queueMicrotask(() => {
			pingQueued = false;
			send({ type: 'outboxChanged' });
		});
	};
	const unwatch = onOutboxCommitted(db, ping);
	const listen = <T>(set: Set<T>, fn: T) => {
		set.add(fn);
		return () => void set.delete(fn);
	};

	return {
		get status() {
			return status;
		},
		subscribe(fn) {
			statusFns.add(fn);
			fn(status);
			return () => void statusFns.delete(fn);
		},
		onMaterialized: (fn) => listen(tableFns, fn),
		onLog: (fn) => listen(logFns, fn),
		outboxChanged: ping,
		setOnline: (online) => send({ type: 'setOnline', online }),
		setToken: (token) => send({ type: 'setToken', token }),
		stop() {
			unwatch();
			return new Promise<void>((resolve) => {
				const timeout = setTimeout(done, 5_000);
				function done() {
					clearTimeout(timeout);
					worker.terminate();
					resolve();
				}
				stopped = done;
				send({ type: 'stop' });
			});
		}
	};
}
