/**
 * The websocket relay at `GET /sync/<document>` (same port as the PWA). Authorization happens at the HTTP
 * upgrade, before the websocket handshake: no, invalid or expired token (or a revoked device) → 401; a
 * document that is not one of ours or outside the token's scope → 403. Accepted sockets join the document's
 * room (see room.ts). Dead sockets are found with ping/pong; sockets whose token expires are closed so the
 * till reconnects with a fresh one; revoking a device closes its sockets at once.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { authorizeDocument } from '../auth/claims.js';
import { DeviceError, type Authenticated, type DeviceService } from '../auth/devices.js';
import type { Logger } from '../log.js';
import type { DocRef } from '../protocol.js';
import { CLOSE } from './messages.js';
import type { BusMetrics, RelayBus } from './bus.js';
import type { DocumentStore, StoreKind } from './store.js';
import { Room, type Connection, type RelayCounters } from './room.js';

export const SYNC_PREFIX = '/sync/';

export interface RelayOptions {
	store: DocumentStore;
	/** links this relay to the others of a scaled-out chain (absent: a lone relay) */
	bus?: RelayBus;
	devices: DeviceService;
	logger: Logger;
	/** ping period; a socket that has not answered the previous ping by then is terminated */
	pingIntervalMs?: number;
	/** how long an empty room stays loaded (a reconnecting till does not reload it) */
	roomIdleMs?: number;
	maxPayloadBytes?: number;
	now?: () => number;
}

export interface RelayMetrics extends RelayCounters {
	connections: number;
	roomsLoaded: number;
	connectionsOpened: number;
	upgradesRefused: number;
	store: StoreKind;
	bus: BusMetrics | null;
}

/** A close reason must fit in 123 bytes of UTF-8. */
function closeReason(text: string): string {
	let reason = text;
	while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
	return reason;
}

/** Answers an upgrade request with a plain HTTP error (the websocket handshake never starts). */
function refuse(socket: Duplex, status: number, message: string): void {
	if (socket.destroyed) return;
	const body = JSON.stringify({ error: { status, message } });
	socket.end(
		`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n` +
			'Connection: close\r\nCache-Control: no-store\r\nContent-Type: application/json; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}

function tokenFrom(req: http.IncomingMessage, params: URLSearchParams): string | undefined {
	const fromQuery = params.get('token');
	if (fromQuery) return fromQuery;
	const header = req.headers.authorization;
	return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class Relay {
	readonly #options: Required<Omit<RelayOptions, 'store' | 'bus' | 'devices' | 'logger'>>;
	readonly #store: DocumentStore;
	readonly #bus: RelayBus | undefined;
	readonly #devices: DeviceService;
	readonly #logger: Logger;
	readonly #wss: WebSocketServer;
	readonly #rooms = new Map<string, Room>();
	readonly #idleTimers = new Map<Room, NodeJS.Timeout>();
	readonly #byDevice = new Map<string, Set<Connection>>();
	/** devices revoked while this process runs: catches a socket authenticated just before its revocation */
	readonly #revoked = new Set<string>();
	readonly #counters: RelayCounters = {
		updatesApplied: 0,
		updatesRejected: 0,
		updatesDeferred: 0,
		readOnlyDropped: 0,
		storeFailures: 0,
		validationMs: 0,
		remoteApplied: 0
	};
	#connectionsOpened = 0;
	#upgradesRefused = 0;
	#nextId = 1;
	#closing = false;
	readonly #ping: NodeJS.Timeout;

	constructor(options: RelayOptions) {
		this.#store = options.store;
		this.#bus = options.bus;
		this.#bus?.setHandlers({
			update: (doc, update) => this.#rooms.get(doc)?.applyRemote(update),
			revoked: (device) => this.#disconnectLocal(device, CLOSE.revoked, 'device revoked'),
			resync: (docs) => {
				for (const room of docs ? docs.map((doc) => this.#rooms.get(doc)) : this.#rooms.values())
					room?.resync();
			}
		});
		this.#devices = options.devices;
		this.#logger = options.logger;
		this.#options = {
			pingIntervalMs: options.pingIntervalMs ?? 30_000,
			roomIdleMs: options.roomIdleMs ?? 5_000,
			maxPayloadBytes: options.maxPayloadBytes ?? 32 * 1024 * 1024,
			now: options.now ?? Date.now
		};
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#options.maxPayloadBytes });
		this.#ping = setInterval(() => this.#checkLiveness(), this.#options.pingIntervalMs);
		this.#ping.unref();
	}

	/** For BranchlineServer.addUpgradeHandler: takes every `/sync/...` upgrade. */
	readonly handleUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean => {
		const url = new URL(req.url ?? '/', 'http://relay.invalid');
		if (!url.pathname.startsWith(SYNC_PREFIX)) return false;
		socket.on('error', (err) => this.#logger.debug('upgrade socket error', { err }));
		this.#authorize(req, socket, head, url).catch((err: unknown) => {
			this.#logger.error('upgrade failed', { path: url.pathname, err });
			refuse(socket, 500, 'internal error');
		});
		return true;
	};

	async #authorize(req: http.IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
		let docName: string;
		try {
			docName = decodeURIComponent(url.pathname.slice(SYNC_PREFIX.length));
		} catch {
			docName = '';
		}
		const fail = (status: number, message: string, fields: Record<string, unknown> = {}) => {
			this.#upgradesRefused++;
			// Never log the query string: it carries the token.
			this.#logger.info('upgrade refused', {
				doc: docName,
				status,
				reason: message,
				ip: req.socket.remoteAddress,
				...fields
			});
			refuse(socket, status, message);
		};
		if (this.#closing) return fail(503, 'relay is shutting down');
		let auth: Authenticated;
		try {
			auth = await this.#devices.authenticate(tokenFrom(req, url.searchParams));
		} catch (err) {
			if (err instanceof DeviceError) return fail(401, err.message);
			throw err;
		}
		const decision = authorizeDocument(auth.claims, docName);
		if (!decision.ok) return fail(403, decision.reason, { device: auth.claims.device });
		if (socket.destroyed) return;
		this.#wss.handleUpgrade(req, socket, head, (ws) =>
			this.#accept(ws, auth, docName, decision.ref, decision.access)
		);
	}

	#accept(ws: WebSocket, auth: Authenticated, docName: string, ref: DocRef, access: 'read' | 'write'): void {
		const conn: Connection = {
			id: this.#nextId++,
			ws,
			claims: auth.claims,
			docName,
			access,
			tokenExpiresAtMs: auth.expiresAtMs,
			alive: true,
			closed: false,
			violations: 0,
			needsAck: false,
			awarenessIds: new Set()
		};
		if (this.#closing || this.#revoked.has(conn.claims.device)) {
			ws.close(
				this.#closing ? CLOSE.goingAway : CLOSE.revoked,
				this.#closing ? 'relay is shutting down' : 'device revoked'
			);
			return;
		}
		this.#connectionsOpened++;
		let devices = this.#byDevice.get(conn.claims.device);
		if (!devices) this.#byDevice.set(conn.claims.device, (devices = new Set()));
		devices.add(conn);

		const room = this.#room(docName, ref);
		room.join(conn);
		ws.on('message', (data, isBinary) => {
			conn.alive = true;
			if (!isBinary) return this.#close(conn, CLOSE.badMessage, 'binary messages only');
			room.receive(conn, toBytes(data));
		});
		ws.on('pong', () => {
			conn.alive = true;
		});
		ws.on('error', (err) => this.#logger.debug('socket error', { conn: conn.id, err }));
		ws.on('close', (code) => this.#closed(conn, room, code));
		this.#logger.info('connection opened', {
			conn: conn.id,
			device: conn.claims.device,
			role: conn.claims.role,
			doc: docName,
			access
		});
	}

	#room(name: string, ref: DocRef): Room {
		let room = this.#rooms.get(name);
		if (!room) {
			room = new Room(name, ref, {
				store: this.#store,
				bus: this.#bus,
				logger: this.#logger,
				counters: this.#counters,
				close: (conn, code, reason) => this.#close(conn, code, reason)
			});
			this.#rooms.set(name, room);
		}
		const timer = this.#idleTimers.get(room);
		if (timer) {
			clearTimeout(timer);
			this.#idleTimers.delete(room);
		}
		return room;
	}

	#close(conn: Connection, code: number, reason: string): void {
		if (conn.closed) return;
		conn.closed = true;
		conn.ws.close(code, closeReason(reason));
	}

	#closed(conn: Connection, room: Room, code: number): void {
		conn.closed = true;
		const devices = this.#byDevice.get(conn.claims.device);
		devices?.delete(conn);
		if (devices?.size === 0) this.#byDevice.delete(conn.claims.device);
		room.leave(conn);
		this.#logger.info('connection closed', {
			conn: conn.id,
			device: conn.claims.device,
			doc: conn.docName,
			code
		});
		if (room.conns.size === 0 && !this.#closing) {
			const timer = setTimeout(() => void this.#unload(room), this.#options.roomIdleMs);
			timer.unref();
			this.#idleTimers.set(room, timer);
		}
	}

	async #unload(room: Room): Promise<void> {
		this.#idleTimers.delete(room);
		if (room.conns.size > 0 || this.#rooms.get(room.name) !== room) return;
		// Removed first: a till connecting meanwhile gets a new room, which loads after this one's writes
		// (y-leveldb runs its operations in order).
		this.#rooms.delete(room.name);
		await room.unload();
		this.#logger.debug('room unloaded', { doc: room.name });
	}

	#checkLiveness(): void {
		const now = this.#options.now();
		for (const conns of this.#byDevice.values()) {
			for (const conn of conns) {
				if (conn.closed) continue;
				if (now >= conn.tokenExpiresAtMs) {
					this.#close(conn, CLOSE.tokenExpired, 'token expired; reconnect with a fresh token');
				} else if (!conn.alive) {
					this.#logger.info('socket unresponsive; terminating', {
						conn: conn.id,
						device: conn.claims.device
					});
					conn.closed = true;
					conn.ws.terminate();
				} else {
					conn.alive = false;
					conn.ws.ping();
				}
			}
		}
	}

	/**
	 * Closes every socket of a device now (revocation), here and, through the bus, on the other relays.
	 * Returns how many were open here.
	 */
	disconnectDevice(deviceId: string, code: number = CLOSE.revoked, reason = 'device revoked'): number {
		if (code === CLOSE.revoked && this.#bus) {
			this.#bus.publishRevocation(deviceId).catch((err: unknown) =>
				this.#logger.error('revocation not sent to the other relays yet (sent once Redis is back)', {
					device: deviceId,
					err
				})
			);
		}
		return this.#disconnectLocal(deviceId, code, reason);
	}

	#disconnectLocal(deviceId: string, code: number, reason: string): number {
		if (code === CLOSE.revoked) this.#revoked.add(deviceId);
		const conns = [...(this.#byDevice.get(deviceId) ?? [])];
		for (const conn of conns) this.#close(conn, code, reason);
		return conns.length;
	}

	connectionsOf(deviceId: string): number {
		return this.#byDevice.get(deviceId)?.size ?? 0;
	}

	metrics(): RelayMetrics {
		let connections = 0;
		for (const conns of this.#byDevice.values()) connections += conns.size;
		return {
			connections,
			roomsLoaded: this.#rooms.size,
			connectionsOpened: this.#connectionsOpened,
			upgradesRefused: this.#upgradesRefused,
			...this.#counters,
			validationMs: Math.round(this.#counters.validationMs * 10) / 10,
			store: this.#store.kind,
			bus: this.#bus?.metrics() ?? null
		};
	}

	/** Closes every socket (1001, clients reconnect elsewhere or later), drains and unloads every room. */
	async close(): Promise<void> {
		this.#closing = true;
		clearInterval(this.#ping);
		for (const timer of this.#idleTimers.values()) clearTimeout(timer);
		this.#idleTimers.clear();
		const sockets: WebSocket[] = [];
		for (const conns of this.#byDevice.values()) {
			for (const conn of conns) {
				sockets.push(conn.ws);
				this.#close(conn, CLOSE.goingAway, 'relay is shutting down');
			}
		}
		const rooms = [...this.#rooms.values()];
		this.#rooms.clear();
		await Promise.all(rooms.map((room) => room.unload()));
		// A peer that does not answer the close handshake is cut off.
		const force = setTimeout(() => sockets.forEach((ws) => ws.terminate()), 1000);
		await Promise.all(
			sockets.map((ws) => (ws.readyState === ws.CLOSED ? null : new Promise((r) => ws.once('close', r))))
		);
		clearTimeout(force);
		this.#wss.close();
	}
}
