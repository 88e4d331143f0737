/**
 * The relay bus on Redis pub/sub. Channels:
 *   branchline:doc:<document>   binary: varString(origin relay id) + varUint8Array(Yjs update)
 *   branchline:control          JSON: {origin, type: 'revoke', device} | {origin, type: 'resync', docs}
 * Two connections, because a subscribed Redis connection cannot publish. Redis pub/sub keeps no history: a
 * relay that loses its subscriber connection reloads every loaded room from PostgreSQL once it is back, and a
 * relay that could not publish tells the others which documents to reload once it can again.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { BusHandlers, BusMetrics, RelayBus } from '../relay/bus.js';
import { redactUrl } from './postgres.js';

const DOC_PREFIX = 'branchline:doc:';
const CONTROL = 'branchline:control';

export class BusError extends Error {
	override name = 'BusError';
}

type ControlMessage =
	{ origin: string; type: 'revoke'; device: string } | { origin: string; type: 'resync'; docs: string[] };

function parseControl(text: string): ControlMessage | undefined {
	try {
		const raw = JSON.parse(text) as Record<string, unknown>;
		if (typeof raw.origin !== 'string') return undefined;
		if (raw.type === 'revoke' && typeof raw.device === 'string') return raw as ControlMessage;
		if (raw.type === 'resync' && Array.isArray(raw.docs) && raw.docs.every((d) => typeof d === 'string'))
			return raw as ControlMessage;
	} catch {
		// malformed: counted by the caller
	}
	return undefined;
}

export function encodeBusUpdate(origin: string, update: Uint8Array): Buffer {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, origin);
	encoding.writeVarUint8Array(encoder, update);
	return Buffer.from(encoding.toUint8Array(encoder));
}

export function decodeBusUpdate(message: Uint8Array): { origin: string; update: Uint8Array } {
	const decoder = decoding.createDecoder(message);
	const origin = decoding.readVarString(decoder);
	const update = decoding.readVarUint8Array(decoder);
	if (decoding.hasContent(decoder)) throw new BusError('trailing bytes after the update');
	return { origin, update };
}

export class RedisBus implements RelayBus {
	readonly relayId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
	readonly #pub: Redis;
	readonly #sub: Redis;
	readonly #logger: Logger;
	readonly #refs = new Map<string, number>();
	/** documents stored while publishing failed: the others are told to reload them once we can publish */
	readonly #unpublished = new Set<string>();
	/** revocations that could not be published: sent again once we can publish */
	readonly #unsentRevocations = new Set<string>();
	#handlers: BusHandlers | undefined;
	#subReadyOnce = false;
	/** ioredis reports "Connection is closed" on a failed connect; the socket's error says why */
	#lastError: string | undefined;
	#closing = false;
	readonly #metrics: Omit<BusMetrics, 'relayId' | 'connected'> = {
		published: 0,
		publishFailures: 0,
		received: 0,
		echoesIgnored: 0,
		malformed: 0,
		revocationsSent: 0,
		revocationsReceived: 0,
		resyncs: 0
	};

	private constructor(url: string, logger: Logger) {
		this.#logger = logger;
		const options = { lazyConnect: true, connectionName: 'branchline-relay', commandTimeout: 5000 };
		// No offline queue for publishing: a stored update must not wait in the room's queue for Redis to return.
		this.#pub = new Redis(url, { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
		this.#sub = new Redis(url, options);
		for (const [name, client] of [
			['publisher', this.#pub],
			['subscriber', this.#sub]
		] as const) {
			client.on('error', (err: Error) => {
				this.#lastError = err.message;
				this.#logger.warn(`Redis ${name} error`, { err: err.message });
			});
		}
		this.#sub.on('ready', () => void this.#subscriberReady());
		this.#pub.on('ready', () => this.#publisherReady());
		this.#sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#message(channel, message));
	}

	/** Connects both clients and subscribes to the control channel; fails clearly when Redis is unreachable. */
	static async open(url: string, logger: Logger): Promise<RedisBus> {
		const bus = new RedisBus(url, logger);
		try {
			await Promise.all([bus.#pub.connect(), bus.#sub.connect()]);
			await bus.#sub.subscribe(CONTROL);
		} catch (err) {
			bus.#pub.disconnect();
			bus.#sub.disconnect();
			const reason = bus.#lastError ?? (err as Error).message;
			throw new BusError(`cannot use Redis at ${redactUrl(url)} (REDIS_URL): ${reason}`, {
				cause: err
			});
		}
		return bus;
	}

	setHandlers(handlers: BusHandlers): void {
		this.#handlers = handlers;
	}

	async #subscriberReady(): Promise<void> {
		if (!this.#subReadyOnce || this.#closing) {
			this.#subReadyOnce = true;
			return;
		}
		// Whatever was published while we were away is gone: subscribe to every loaded document (including
		// those loaded meanwhile), then let the rooms catch up from PostgreSQL.
		this.#logger.info('Redis subscriber reconnected; reloading loaded documents from PostgreSQL');
		const channels = [...this.#refs.keys()].map((doc) => DOC_PREFIX + doc);
		if (channels.length > 0) {
			await this.#sub
				.subscribe(...channels)
				.catch((err: unknown) => this.#logger.warn('Redis re-subscribe failed', { err }));
		}
		this.#metrics.resyncs++;
		this.#handlers?.resync(undefined);
	}

	#publisherReady(): void {
		for (const device of [...this.#unsentRevocations]) {
			this.#unsentRevocations.delete(device);
			this.publishRevocation(device).catch((err: unknown) =>
				this.#logger.warn('revocation still not sent to the other relays', { device, err })
			);
		}
		if (this.#unpublished.size === 0) return;
		const docs = [...this.#unpublished];
		this.#unpublished.clear();
		const message: ControlMessage = { origin: this.relayId, type: 'resync', docs };
		this.#pub.publish(CONTROL, JSON.stringify(message)).catch((err: unknown) => {
			for (const doc of docs) this.#unpublished.add(doc);
			this.#logger.warn('cannot ask other relays to reload documents', { err, docs: docs.length });
		});
	}

	#message(channelBytes: Buffer, message: Buffer): void {
		const channel = channelBytes.toString('utf8');
		this.#metrics.received++;
		if (channel === CONTROL) return this.#control(message.toString('utf8'));
		if (!channel.startsWith(DOC_PREFIX)) return;
		let decoded: { origin: string; update: Uint8Array };
		try {
			decoded = decodeBusUpdate(message);
		} catch (err) {
			this.#metrics.malformed++;
			this.#logger.warn('malformed bus message', { channel, err });
			return;
		}
		if (decoded.origin === this.relayId) {
			this.#metrics.echoesIgnored++;
			return;
		}
		this.#handlers?.update(channel.slice(DOC_PREFIX.length), decoded.update);
	}

	#control(text: string): void {
		const message = parseControl(text);
		if (!message) {
			this.#metrics.malformed++;
			this.#logger.warn('malformed bus control message', { bytes: text.length });
			return;
		}
		if (message.origin === this.relayId) return void this.#metrics.echoesIgnored++;
		if (message.type === 'revoke') {
			this.#metrics.revocationsReceived++;
			this.#handlers?.revoked(message.device);
		} else {
			this.#metrics.resyncs++;
			this.#handlers?.resync(message.docs);
		}
	}

	async subscribe(doc: string): Promise<void> {
		const refs = this.#refs.get(doc) ?? 0;
		this.#refs.set(doc, refs + 1);
		// Without Redis a room still loads and serves its sockets; it subscribes and catches up once the
		// subscriber is back (#subscriberReady).
		if (this.#sub.status !== 'ready') return;
		// Awaited even when already subscribed: the caller loads from the store only after this resolves.
		await this.#sub.subscribe(DOC_PREFIX + doc);
	}

	async unsubscribe(doc: string): Promise<void> {
		const refs = (this.#refs.get(doc) ?? 1) - 1;
		if (refs > 0) return void this.#refs.set(doc, refs);
		this.#refs.delete(doc);
		// When not connected, ioredis may re-subscribe it later: messages for a room not loaded are ignored.
		if (!this.#closing && this.#sub.status === 'ready') await this.#sub.unsubscribe(DOC_PREFIX + doc);
	}

	async publishUpdate(doc: string, update: Uint8Array): Promise<void> {
		try {
			await this.#pub.publish(DOC_PREFIX + doc, encodeBusUpdate(this.relayId, update));
			this.#metrics.published++;
		} catch (err) {
			this.#metrics.publishFailures++;
			this.#unpublished.add(doc);
			throw err;
		}
	}

	async publishRevocation(device: string): Promise<void> {
		const message: ControlMessage = { origin: this.relayId, type: 'revoke', device };
		try {
			await this.#pub.publish(CONTROL, JSON.stringify(message));
			this.#metrics.revocationsSent++;
		} catch (err) {
			this.#unsentRevocations.add(device);
			throw err;
		}
	}

	metrics(): BusMetrics {
		return {
			relayId: this.relayId,
			connected: this.#pub.status === 'ready' && this.#sub.status === 'ready',
			...this.#metrics
		};
	}

	async close(): Promise<void> {
		this.#closing = true;
		await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
	}
}
