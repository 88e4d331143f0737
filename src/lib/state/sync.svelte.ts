/**
 * Branch sync as the UI sees it: starts the sync worker once this till is enrolled, shows its status, and
 * refreshes what the till keeps in memory when rows from other branches arrive. The Yjs engine never runs on the
 * UI thread (src/lib/sync/worker.ts).
 */
import { startSync, type SyncClient } from '$lib/sync/client';
import { stoppedStatus, type SyncStatus } from '$lib/sync/status';
import type { SyncAuth } from '$lib/storage/syncAuth';
import { eraseTillData } from '$lib/storage/erase';
import type { AppState } from './app.svelte';

export class SyncState {
	status = $state.raw<SyncStatus>(stoppedStatus());
	readonly #app: AppState;
	#client: SyncClient | null = null;
	#auth: SyncAuth | null = null;
	#unsubscribe: (() => void)[] = [];

	constructor(app: AppState) {
		this.#app = app;
	}

	/** Rows the relay has not acknowledged: a till refuses sign-out of the device, reset or chain switch while > 0. */
	unsynced = $derived(this.status.state === 'stopped' ? null : this.status.unsynced);

	start(auth: SyncAuth): void {
		this.#auth = auth;
		if (this.#client) {
			this.#client.setToken(auth.token);
			return;
		}
		const url = new URL('/sync', auth.relayUrl);
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		const client = startSync(this.#app.db, {
			dbName: this.#app.db.name,
			url: url.toString(),
			token: auth.token,
			claims: auth.claims,
			utcOffsetMinutes: this.#app.membership?.utcOffsetMinutes ?? 480
		});
		this.#client = client;
		this.#unsubscribe = [
			client.subscribe((status) => {
				this.status = status;
				void this.#app.refreshUnsynced();
			}),
			client.onMaterialized((tables) => {
				// Catalog, promotions or settings from head office: reload the small reference tables.
				if (
					tables.some((t) =>
						['promotions', 'levels', 'categories', 'branches', 'plans', 'gifts', 'meta'].includes(t)
					)
				)
					void this.#app.reloadReference();
				void this.#app.refreshUnsynced();
			})
		];
	}

	/**
	 * Erases this till (its database and synced documents) so it can be set up again or join another chain.
	 * Refused while anything is unsynced: those sales and entries exist nowhere else. Returns the count that
	 * blocked it, or 0 once erased (the caller reloads the app).
	 */
	async eraseTill(): Promise<number> {
		const waiting = await this.#app.db.outbox.count();
		if (waiting > 0) return waiting;
		await this.stop();
		// A sale may have landed between the count and the stop: look again with the engine stopped.
		const late = await this.#app.db.outbox.count();
		if (late > 0) {
			if (this.#auth) this.start(this.#auth);
			return late;
		}
		await eraseTillData(this.#app.db);
		return 0;
	}

	async stop(): Promise<void> {
		for (const off of this.#unsubscribe) off();
		this.#unsubscribe = [];
		await this.#client?.stop();
		this.#client = null;
		this.status = stoppedStatus();
	}
}
