/**
 * The sync worker: one SyncEngine per device, fed by client.ts. It owns every Y.Doc, so the UI thread never loads
 * one. Messages are status.ts's ToWorker / FromWorker.
 */
import { BranchlineDb } from '$lib/storage/db';
import { onOutboxCommitted } from '$lib/storage/syncHooks';
import { SyncEngine } from './engine';
import type { FromWorker, ToWorker } from './status';

interface WorkerScope {
	postMessage(message: FromWorker): void;
	onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromWorker) => scope.postMessage(message);

let engine: SyncEngine | null = null;
let db: BranchlineDb | null = null;
let unwatch: (() => void) | null = null;

async function start(config: Extract<ToWorker, { type: 'start' }>['config']): Promise<void> {
	if (engine) return;
	db = new BranchlineDb(config.dbName);
	engine = new SyncEngine({
		db,
		claims: config.claims,
		url: config.url,
		token: config.token,
		utcOffsetMinutes: config.utcOffsetMinutes,
		log: (event) => post({ type: 'log', event })
	});
	engine.subscribe((status) => post({ type: 'status', status }));
	engine.onMaterialized((tables) => post({ type: 'materialized', tables }));
	// Commits in any tab reach this worker through Dexie's storagemutated broadcast, besides the client's pings.
	unwatch = onOutboxCommitted(db, () => engine?.notifyOutbox());
	await engine.start();
}

async function stop(): Promise<void> {
	unwatch?.();
	await engine?.stop();
	db?.close();
	engine = null;
	db = null;
	post({ type: 'stopped' });
}

scope.onmessage = (event) => {
	const message = event.data;
	const fail = (error: unknown) =>
		post({
			type: 'log',
			event: {
				level: 'error',
				code: 'worker',
				message: error instanceof Error ? error.message : String(error)
			}
		});
	switch (message?.type) {
		case 'start':
			start(message.config).catch(fail);
			break;
		case 'outboxChanged':
			engine?.notifyOutbox();
			break;
		case 'setToken':
			engine?.setToken(message.token);
			break;
		case 'setOnline':
			engine?.setOnline(message.online);
			break;
		case 'stop':
			stop().catch(fail);
			break;
	}
};
