import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BranchlineDb } from '$lib/storage/db';
import { useFreshDb } from '$lib/storage/freshDb.testing';
import { startSync, type WorkerLike } from './client';
import { stoppedStatus, type FromWorker, type ToWorker, type WorkerConfig } from './status';

let db: BranchlineDb;
useFreshDb('client', (fresh) => (db = fresh));

class FakeWorker implements WorkerLike {
	received: ToWorker[] = [];
	terminated = false;
	onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
	postMessage(message: ToWorker): void {
		this.received.push(message);
		if (message.type === 'stop') queueMicrotask(() => this.emit({ type: 'stopped' }));
	}
	terminate(): void {
		this.terminated = true;
	}
	emit(data: FromWorker): void {
		this.onmessage?.({ data } as MessageEvent<FromWorker>);
	}
}

const config: WorkerConfig = {
	dbName: 'client',
	url: 'wss://relay.example/sync',
	token: 't',
	claims: { chain: 'c', branch: 'br-01', device: 'd1', role: 'cashier' },
	utcOffsetMinutes: 480
};

describe('sync client', () => {
	it('starts the worker, relays its status to subscribers and stops it', async () => {
		const worker = new FakeWorker();
		const sync = startSync(db, config, worker);
		expect(worker.received[0]).toEqual({ type: 'start', config });
		const seen: string[] = [];
		const unsubscribe = sync.subscribe((s) => seen.push(s.state));
		worker.emit({ type: 'status', status: { ...stoppedStatus(), state: 'online', unsynced: 2 } });
		expect(seen).toEqual(['stopped', 'online']);
		expect(sync.status.unsynced).toBe(2);
		unsubscribe();
		worker.emit({ type: 'status', status: { ...stoppedStatus(), state: 'offline' } });
		expect(seen).toHaveLength(2);
		await sync.stop();
		expect(worker.received.at(-1)).toEqual({ type: 'stop' });
		expect(worker.terminated).toBe(true);
	});

	it('pings the worker once per burst of commits that touched the outbox, not for other tables', async () => {
		await db.open(); // opening signals "everything changed" once; count the commits after it
		const worker = new FakeWorker();
		const sync = startSync(db, config, worker);
		await db.outbox.bulkAdd([
			{ id: 'o1', table: 'sales', recordId: 's1', createdAt: 1 },
			{ id: 'o2', table: 'stock', recordId: 'k1', createdAt: 1 }
		]);
		await db.meta.put({ key: 'x', value: 1 });
		await new Promise((r) => setTimeout(r, 10));
		expect(worker.received.filter((m) => m.type === 'outboxChanged')).toHaveLength(1);
		const tables: string[][] = [];
		sync.onMaterialized((t) => tables.push(t));
		worker.emit({ type: 'materialized', tables: ['members'] });
		expect(tables).toEqual([['members']]);
		await sync.stop();
	});
});
