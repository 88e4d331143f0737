/**
 * One open document: the Y.Doc, its local persistence (y-indexeddb by default), its relay connection
 * (y-websocket) and what the engine knows of the relay's state vector for it.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type { DocRef } from './protocol';
import { rootMap } from './layout';
import { queryRelay, watchRelayStateVector } from './ack';
import { SYNC_DOC_PREFIX } from '$lib/storage/erase';

/** Local persistence of one document. */
export interface Persistence {
	whenSynced: Promise<unknown>;
	destroy(): unknown;
}
export type PersistenceFactory = (name: string, doc: Y.Doc) => Persistence;

/** y-indexeddb, one IndexedDB database per document (`prefix + name`). */
export const indexeddbPersistence =
	(prefix = SYNC_DOC_PREFIX): PersistenceFactory =>
	(name, doc) =>
		new IndexeddbPersistence(prefix + name, doc);

export interface TransportOptions {
	/** Relay URL; each document is a room (`url/<doc name>?token=…`). */
	url: string;
	token: string;
	/** A WebSocket implementation (tests, Node); the global one by default. */
	WebSocketPolyfill?: unknown;
	/** Cross-tab BroadcastChannel sync off: the engine runs in one worker, so all sync provably crosses the relay. */
	disableBc: boolean;
	maxBackoffTime: number;
}

/** The transaction origin of the engine's own writes (the read path ignores them). */
export const LOCAL_ORIGIN = Symbol('branchline-sync-local');

export interface DocEvents {
	/** A remote transaction changed keys of the root map. */
	remote(handle: DocHandle, event: Y.YMapEvent<unknown>): void;
	/** The relay sent its state vector. */
	stateVector(handle: DocHandle): void;
	/** Connected, disconnected, synced or refused changed. */
	connection(handle: DocHandle): void;
}

export class DocHandle {
	readonly doc = new Y.Doc({ gc: true });
	readonly map: Y.Map<unknown>;
	persistence: Persistence | null = null;
	provider: WebsocketProvider | null = null;
	/** The relay's integrated state vector as last reported; null until it reports one on this socket. */
	relaySV: Map<number, number> | null = null;
	/** When the oldest query that no state vector has answered yet went out (0 = none outstanding). */
	queriedAt = 0;
	/** When the last query went out. */
	lastQueryAt = 0;
	/** The relay closed this document for good (no access): rows for it are stuck. */
	refused = false;
	/** Kept open because the device watches it (not just because rows must be written to it). */
	watched: boolean;

	private constructor(
		readonly ref: DocRef,
		readonly name: string,
		watched: boolean
	) {
		this.map = this.doc.getMap(rootMap(ref));
		this.watched = watched;
	}

	/**
	 * Opens a document and loads its local state; remote changes are observed from then on. Call connect() next:
	 * the engine first checks whether the tables already hold what was loaded (reader.ts upToDate).
	 */
	static async open(
		ref: DocRef,
		name: string,
		watched: boolean,
		persistence: PersistenceFactory | null,
		events: DocEvents
	): Promise<DocHandle> {
		const handle = new DocHandle(ref, name, watched);
		if (persistence) {
			handle.persistence = persistence(name, handle.doc);
			await handle.persistence.whenSynced;
		}
		// Attached after the local load: what y-indexeddb restores is reconciled through the checkpoint instead.
		handle.map.observe((event, tx) => {
			if (tx.origin !== LOCAL_ORIGIN && tx.origin !== handle.persistence) events.remote(handle, event);
		});
		return handle;
	}

	/** Connects to the relay. */
	connect(transport: TransportOptions, events: DocEvents): void {
		const provider = new WebsocketProvider(transport.url, this.name, this.doc, {
			connect: false,
			params: { token: transport.token },
			disableBc: transport.disableBc,
			maxBackoffTime: transport.maxBackoffTime,
			...(transport.WebSocketPolyfill
				? { WebSocketPolyfill: transport.WebSocketPolyfill as typeof WebSocket }
				: {})
		});
		// No presence in a till: a null local state keeps awareness off the wire.
		provider.awareness.setLocalState(null);
		watchRelayStateVector(provider, (sv) => {
			this.relaySV = sv;
			this.queriedAt = 0;
			events.stateVector(this);
		});
		provider.on('status', ({ status }) => {
			// A new socket starts without a known relay state: acknowledgements wait for its step 1.
			if (status !== 'connected') this.relaySV = null;
			this.queriedAt = 0;
			events.connection(this);
		});
		provider.on('sync', () => events.connection(this));
		provider.on('closed', () => {
			this.refused = true;
			events.connection(this);
		});
		this.provider = provider;
		provider.connect();
	}

	get connected(): boolean {
		return this.provider?.wsconnected ?? false;
	}

	get synced(): boolean {
		return (this.provider?.synced ?? false) && this.relaySV !== null;
	}

	/** Asks the relay for its state vector; false when the socket is not open. */
	query(now: number): boolean {
		if (!this.provider || !queryRelay(this.provider)) return false;
		if (this.queriedAt === 0) this.queriedAt = now;
		this.lastQueryAt = now;
		return true;
	}

	/** Drops and re-opens the socket: a relay that ignores queries still sends its state vector on open. */
	reconnect(): void {
		if (!this.provider || this.refused) return;
		this.provider.disconnect();
		this.provider.connect();
	}

	/** A refreshed token: y-websocket reads `params` on every (re)connect. */
	setToken(token: string): void {
		if (this.provider) this.provider.params = { ...this.provider.params, token };
	}

	setOnline(online: boolean): void {
		if (!this.provider || this.refused) return;
		if (online) this.provider.connect();
		else this.provider.disconnect();
	}

	async destroy(): Promise<void> {
		if (this.provider) {
			this.provider.awareness.destroy();
			this.provider.destroy();
		}
		await this.persistence?.destroy();
		this.doc.destroy();
	}
}
