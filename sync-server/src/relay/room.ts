/**
 * A room: one loaded Y.Doc, its awareness and the sockets syncing it. All work on a room runs through one
 * promise queue, which gives three guarantees:
 * - the persisted state is loaded before the first message is answered (a client never sees an empty doc
 *   that is not empty; pitfall 4 in shared/notes/stack-on-node20.md);
 * - updates are validated against the state they will be applied to, in arrival order;
 * - an update is stored before it is applied and forwarded ("acknowledged = persisted").
 * After the queue drains, each writer whose updates were stored gets the relay's state vector (a sync step 1):
 * that is the acknowledgement a till's outbox can wait for (its clock is covered by the relay's vector).
 *
 * With a bus (several relays, see bus.ts) a room also publishes each stored update before acknowledging it,
 * and applies updates other relays stored (already persisted: forwarded, never stored again). It subscribes
 * before loading, so an update stored meanwhile is either in what it loads or queued behind the load
 * (applying it twice is harmless).
 */
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../log.js';
import type { DeviceClaims, DocRef } from '../protocol.js';
import {
	CLOSE,
	decodeMessage,
	encodeAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	MessageError
} from './messages.js';
import type { RelayBus } from './bus.js';
import type { DocumentStore } from './store.js';
import { checkUpdate } from './validate.js';

/** Updates from a read-only client that are tolerated (dropped) before the socket is closed. */
export const READ_ONLY_STRIKES = 3;
/** Stored updates after which a loaded room is compacted, and the smaller count worth compacting on unload. */
const COMPACT_EVERY = 500;
const COMPACT_ON_UNLOAD = 20;
/** A client this far behind on reading is dropped rather than buffered without bound (it resyncs later). */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const MAX_AWARENESS_BYTES = 64 * 1024;

export interface Connection {
	readonly id: number;
	readonly ws: WebSocket;
	readonly claims: DeviceClaims;
	readonly docName: string;
	readonly access: 'read' | 'write';
	readonly tokenExpiresAtMs: number;
	alive: boolean;
	closed: boolean;
	violations: number;
	needsAck: boolean;
	readonly awarenessIds: Set<number>;
}

export interface RelayCounters {
	updatesApplied: number;
	updatesRejected: number;
	updatesDeferred: number;
	readOnlyDropped: number;
	storeFailures: number;
	validationMs: number;
	/** updates from other relays applied here (bus) */
	remoteApplied: number;
}

/** The origin of updates that came over the bus: forwarded to every socket of the room. */
const REMOTE = Symbol('remote relay');

export interface RoomContext {
	store: DocumentStore;
	bus?: Pick<RelayBus, 'subscribe' | 'unsubscribe' | 'publishUpdate'>;
	logger: Logger;
	counters: RelayCounters;
	close(conn: Connection, code: number, reason: string): void;
}

export class Room {
	readonly name: string;
	readonly ref: DocRef;
	readonly conns = new Set<Connection>();
	#doc: Y.Doc | null = null;
	#awareness: awarenessProtocol.Awareness | null = null;
	#queue: Promise<void>;
	#pending = 0;
	#sinceCompact = 0;
	readonly #ctx: RoomContext;

	constructor(name: string, ref: DocRef, ctx: RoomContext) {
		this.name = name;
		this.ref = ref;
		this.#ctx = ctx;
		this.#pending = 1;
		this.#queue = this.#load().finally(() => this.#taskDone());
	}

	get loaded(): boolean {
		return this.#doc !== null;
	}

	async #load(): Promise<void> {
		const started = performance.now();
		try {
			await this.#ctx.bus?.subscribe(this.name);
			const doc = await this.#ctx.store.load(this.name);
			const awareness = new awarenessProtocol.Awareness(doc);
			awareness.setLocalState(null);
			doc.on('update', (update: Uint8Array, origin: unknown) => this.#broadcastUpdate(update, origin));
			awareness.on('update', (changes: AwarenessChanges, origin: unknown) =>
				this.#awarenessChanged(changes, origin)
			);
			this.#doc = doc;
			this.#awareness = awareness;
			this.#ctx.logger.debug('room loaded', { doc: this.name, ms: Math.round(performance.now() - started) });
		} catch (err) {
			this.#ctx.logger.error('room load failed', { doc: this.name, err });
			for (const conn of this.conns) this.#ctx.close(conn, CLOSE.serverError, 'document unavailable');
		}
	}

	#enqueue(task: () => Promise<void> | void): void {
		this.#pending++;
		this.#queue = this.#queue
			.then(async () => {
				// Nothing to do once loading failed or the room was unloaded (late close events at shutdown).
				if (this.#doc) await task();
			})
			.catch((err: unknown) => this.#ctx.logger.error('room task failed', { doc: this.name, err }))
			.finally(() => this.#taskDone());
	}

	/** When the queue drains, acknowledge stored updates with the relay's state vector. */
	#taskDone(): void {
		if (--this.#pending > 0 || !this.#doc) return;
		let ack: Uint8Array | undefined;
		for (const conn of this.conns) {
			if (!conn.needsAck) continue;
			conn.needsAck = false;
			ack ??= encodeSyncStep1(this.#doc);
			this.#send(conn, ack);
		}
	}

	join(conn: Connection): void {
		this.conns.add(conn);
		this.#enqueue(() => {
			const doc = this.#doc as Y.Doc;
			const awareness = this.#awareness as awarenessProtocol.Awareness;
			this.#send(conn, encodeSyncStep1(doc));
			const states = [...awareness.getStates().keys()];
			if (states.length > 0) this.#send(conn, encodeAwareness(awareness, states));
		});
	}

	leave(conn: Connection): void {
		this.conns.delete(conn);
		if (conn.awarenessIds.size === 0) return;
		this.#enqueue(() => {
			const awareness = this.#awareness as awarenessProtocol.Awareness;
			awarenessProtocol.removeAwarenessStates(awareness, [...conn.awarenessIds], null);
		});
	}

	receive(conn: Connection, data: Uint8Array): void {
		this.#enqueue(() => this.#handle(conn, data));
	}

	/** An update another relay stored: apply and forward. Gaps (lost messages) are filled from the store. */
	applyRemote(update: Uint8Array): void {
		this.#enqueue(() => {
			const doc = this.#doc as Y.Doc;
			Y.applyUpdate(doc, update, REMOTE);
			this.#ctx.counters.remoteApplied++;
			if (doc.store.pendingStructs || doc.store.pendingDs) this.resync();
		});
	}

	/** Applies whatever the store has that this room lacks (after bus messages may have been lost). */
	resync(): void {
		this.#enqueue(async () => {
			const doc = this.#doc as Y.Doc;
			const stored = await this.#ctx.store.load(this.name);
			const missing = Y.encodeStateAsUpdate(stored, Y.encodeStateVector(doc));
			stored.destroy();
			Y.applyUpdate(doc, missing, REMOTE);
		});
	}

	/** Resolves once every queued task has run. */
	async idle(): Promise<void> {
		while (this.#pending > 0) await this.#queue;
	}

	/** Compacts if worthwhile and frees the doc. The caller has removed the room from the relay first. */
	async unload(): Promise<void> {
		await this.idle();
		if (this.#doc && this.#sinceCompact >= COMPACT_ON_UNLOAD) {
			await this.#ctx.store
				.compact(this.name)
				.catch((err: unknown) => this.#ctx.logger.warn('compaction failed', { doc: this.name, err }));
		}
		this.#awareness?.destroy();
		this.#doc?.destroy();
		this.#doc = null;
		this.#awareness = null;
		await this.#ctx.bus
			?.unsubscribe(this.name)
			.catch((err: unknown) => this.#ctx.logger.warn('bus unsubscribe failed', { doc: this.name, err }));
	}

	#send(conn: Connection, data: Uint8Array): void {
		if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
		if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
			this.#ctx.logger.warn('client too slow; dropping its socket', { conn: conn.id, doc: this.name });
			conn.closed = true;
			conn.ws.terminate();
			return;
		}
		conn.ws.send(data);
	}

	#broadcastUpdate(update: Uint8Array, origin: unknown): void {
		const message = encodeUpdate(update);
		for (const conn of this.conns) if (conn !== origin) this.#send(conn, message);
	}

	#awarenessChanged({ added, updated, removed }: AwarenessChanges, origin: unknown): void {
		const changed = [...added, ...updated, ...removed];
		const conn = this.conns.has(origin as Connection) ? (origin as Connection) : undefined;
		if (conn) {
			for (const id of added) conn.awarenessIds.add(id);
			for (const id of removed) conn.awarenessIds.delete(id);
		}
		// Echoed to the sender too: y-websocket clients treat 30 s without any message as a dead connection.
		const message = encodeAwareness(this.#awareness as awarenessProtocol.Awareness, changed);
		for (const each of this.conns) this.#send(each, message);
	}

	async #handle(conn: Connection, data: Uint8Array): Promise<void> {
		if (conn.closed) return;
		const doc = this.#doc as Y.Doc;
		const awareness = this.#awareness as awarenessProtocol.Awareness;
		try {
			const message = decodeMessage(data);
			switch (message.type) {
				case 'sync-step-1':
					this.#send(conn, encodeSyncStep2(doc, message.stateVector));
					return;
				case 'update':
					await this.#receiveUpdate(conn, doc, message.update);
					return;
				case 'awareness':
					if (message.update.length > MAX_AWARENESS_BYTES)
						throw new MessageError('awareness update too large');
					awarenessProtocol.applyAwarenessUpdate(awareness, message.update, conn);
					return;
				case 'query-awareness':
					this.#send(conn, encodeAwareness(awareness, [...awareness.getStates().keys()]));
					return;
				case 'query-state-vector':
					// Runs in the room's queue, so the vector covers everything this socket sent before, stored.
					this.#send(conn, encodeSyncStep1(doc));
					return;
				case 'ignored':
					return;
			}
		} catch (err) {
			// Only decoding can throw here (storage failures are handled below): the client speaks something else.
			this.#ctx.logger.warn('bad message', {
				conn: conn.id,
				device: conn.claims.device,
				doc: this.name,
				err
			});
			this.#ctx.close(conn, CLOSE.badMessage, 'malformed message');
		}
	}

	async #receiveUpdate(conn: Connection, doc: Y.Doc, update: Uint8Array): Promise<void> {
		const { counters, logger, store } = this.#ctx;
		const started = performance.now();
		const verdict = checkUpdate(doc, this.ref.kind, update);
		counters.validationMs += performance.now() - started;
		const who = { conn: conn.id, device: conn.claims.device, role: conn.claims.role, doc: this.name };

		if (conn.access === 'read') {
			if (verdict.ok && verdict.noop) return;
			conn.violations++;
			counters.readOnlyDropped++;
			logger.warn('update from a read-only device dropped', { ...who, strikes: conn.violations });
			if (conn.violations >= READ_ONLY_STRIKES) this.#ctx.close(conn, CLOSE.policy, 'read-only document');
			return;
		}
		if (!verdict.ok) {
			if (verdict.problem === 'missing-dependencies') {
				counters.updatesDeferred++;
				logger.warn('update deferred: missing dependencies', { ...who, reason: verdict.reason });
				this.#ctx.close(conn, CLOSE.resync, 'missing dependencies; reconnect to resync');
				return;
			}
			counters.updatesRejected++;
			logger.warn('update rejected', { ...who, reason: verdict.reason, bytes: update.length });
			this.#ctx.close(conn, CLOSE.rejected, verdict.reason);
			return;
		}
		if (verdict.noop) return;

		try {
			await store.append(this.name, update);
		} catch (err) {
			counters.storeFailures++;
			logger.error('update not stored', { ...who, err });
			this.#ctx.close(conn, CLOSE.serverError, 'storage failed');
			return;
		}
		Y.applyUpdate(doc, update, conn);
		counters.updatesApplied++;
		// Before the acknowledgement, so a relay killed after acknowledging has handed the update on. A failure
		// only delays the others (they reload the document when told to); the update is stored.
		await this.#ctx.bus
			?.publishUpdate(this.name, update)
			.catch((err: unknown) => logger.warn('update stored but not published', { ...who, err }));
		conn.needsAck = true;
		if (doc.store.pendingStructs || doc.store.pendingDs) {
			logger.warn('update left pending structs', { ...who });
		}
		if (++this.#sinceCompact >= COMPACT_EVERY) {
			this.#sinceCompact = 0;
			await store
				.compact(this.name)
				.catch((err: unknown) => logger.warn('compaction failed', { doc: this.name, err }));
		}
	}
}

interface AwarenessChanges {
	added: number[];
	updated: number[];
	removed: number[];
}
