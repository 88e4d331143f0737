/**
 * What the sync engine reports, and the messages between the main thread (client.ts) and the sync worker
 * (worker.ts). Plain data only: everything here crosses postMessage.
 */
import type { DeviceClaims } from './protocol';
import type { SkipReason, SyncLogEvent } from './materialize';

export interface SyncStatus {
	/** stopped: not started; offline: no document connected; connecting: some; online: all connected and synced. */
	state: 'stopped' | 'starting' | 'offline' | 'connecting' | 'online';
	connectedDocs: number;
	totalDocs: number;
	/** Outbox rows the relay has not acknowledged yet (a till must not log out or reset while > 0). */
	unsynced: number;
	/** Of those, rows that cannot leave as things stand: no write access, an invalid local record, a missing record. */
	stuck: number;
	/** Last time the relay acknowledged rows or a document finished syncing (epoch ms). */
	lastSyncAt: number | null;
	/** Remote values not materialized since start, by reason (invalid ones are logged too). */
	skipped: Record<SkipReason, number>;
	/** Phones held by more than one member, waiting for an audited merge. */
	duplicatePhones: number;
	/** The last error the engine hit (it keeps running and retries). */
	error: string | null;
}

export const stoppedStatus = (): SyncStatus => ({
	state: 'stopped',
	connectedDocs: 0,
	totalDocs: 0,
	unsynced: 0,
	stuck: 0,
	lastSyncAt: null,
	skipped: { malformed: 0, invalid: 0, newer: 0, unknown: 0, conflict: 0, deleted: 0 },
	duplicatePhones: 0,
	error: null
});

/** The connection part of the status, from the watched documents' sockets. */
export function connectionState(
	docs: readonly { connected: boolean; synced: boolean }[],
	running: boolean,
	online: boolean
): Pick<SyncStatus, 'state' | 'connectedDocs' | 'totalDocs'> {
	const connected = docs.filter((d) => d.connected).length;
	const synced = docs.filter((d) => d.synced).length;
	const state: SyncStatus['state'] = !running
		? 'stopped'
		: !online || connected === 0
			? 'offline'
			: synced === docs.length
				? 'online'
				: 'connecting';
	return { state, connectedDocs: connected, totalDocs: docs.length };
}

/** How the worker starts the engine. */
export interface WorkerConfig {
	/** Dexie database name (the app's default is 'branchline'). */
	dbName: string;
	/** Relay websocket URL, e.g. wss://host/sync (document names are appended as rooms). */
	url: string;
	/** The device's signed token (sent as the `token` URL parameter). */
	token: string;
	claims: DeviceClaims;
	/** The chain's time zone, minutes east of UTC (China: 480). */
	utcOffsetMinutes: number;
}

export type ToWorker =
	| { type: 'start'; config: WorkerConfig }
	/** A local transaction added outbox rows (storage/syncHooks.ts → client.ts). */
	| { type: 'outboxChanged' }
	/** The device token was refreshed (POST /api/token/refresh). */
	| { type: 'setToken'; token: string }
	/** Staff chose to work offline (or back online). */
	| { type: 'setOnline'; online: boolean }
	| { type: 'stop' };

export type FromWorker =
	| { type: 'status'; status: SyncStatus }
	/** Remote rows were written into these tables: views over them should refresh. */
	| { type: 'materialized'; tables: string[] }
	| { type: 'log'; event: SyncLogEvent }
	| { type: 'stopped' };
