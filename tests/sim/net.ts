/**
 * A simulated network between devices and the in-process relay: a WebSocket class that y-websocket's provider
 * accepts as its WebSocketPolyfill, and one packet queue the test drives — in order and lossless (unit tests,
 * `auto`), or with seeded loss, duplication, reordering and partitions (the simulation).
 */
import type { RelayPeer, SimRelay } from './relay';

export interface Faults {
	/** Probability that a packet is lost. */
	drop: number;
	/** Probability that a packet arrives twice. */
	duplicate: number;
	/** Packets are taken from a random place among the first `window` queued (1 = in order). */
	window: number;
}

export const NO_FAULTS: Faults = { drop: 0, duplicate: 0, window: 1 };

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

interface Packet {
	socket: SimSocket;
	deliver: () => void;
	/** Connection events are never lost or duplicated (a socket either opens or fails), only data. */
	data: boolean;
}

/** What y-websocket touches on a WebSocket. */
export interface SimSocket {
	readyState: number;
	binaryType: string;
	onopen: (() => void) | null;
	onmessage: ((event: { data: ArrayBuffer }) => void) | null;
	onclose: ((event: { code: number; reason: string }) => void) | null;
	onerror: ((event: unknown) => void) | null;
	readonly OPEN: number;
	send(data: Uint8Array): void;
	close(code?: number, reason?: string): void;
	/** The network side closed the socket (a cut cable, the relay going away). */
	closed(code: number, reason: string): void;
}

export class SimNetwork {
	faults: Faults = NO_FAULTS;
	/** Deliver packets on their own (unit tests); otherwise the test calls deliver(). */
	auto = false;
	readonly stats = { sent: 0, dropped: 0, duplicated: 0, delivered: 0 };
	private queue: Packet[] = [];
	private head = 0;
	private readonly partitioned = new Set<string>();
	private readonly sockets = new Map<string, Set<SimSocket>>();
	private pumping = false;

	constructor(
		public relay: SimRelay,
		private readonly random: () => number = Math.random
	) {}

	get pending(): number {
		return this.queue.length - this.head;
	}

	/** The WebSocket class for one device (y-websocket's WebSocketPolyfill). */
	socketClass(device: string): new (url: string) => SimSocket {
		return socketClassFor(this, device);
	}

	/** Cuts a device off: its sockets drop and new ones fail until heal(). */
	partition(device: string): void {
		this.partitioned.add(device);
		for (const socket of [...(this.sockets.get(device) ?? [])])
			this.push(socket, false, () => socket.closed(1006, 'cut'));
	}

	heal(device?: string): void {
		if (device) this.partitioned.delete(device);
		else this.partitioned.clear();
	}

	isPartitioned(device: string): boolean {
		return this.partitioned.has(device);
	}

	/** Delivers up to `max` packets (with the current faults); returns how many were taken from the queue. */
	deliver(max = Infinity): number {
		let taken = 0;
		while (taken < max && this.head < this.queue.length) {
			const window = Math.max(1, Math.min(this.faults.window, this.queue.length - this.head));
			const index = this.head + (window === 1 ? 0 : Math.floor(this.random() * window));
			// Swap the chosen packet to the head and advance: O(1), and the rest stays roughly in order.
			const packet = this.queue[index]!;
			this.queue[index] = this.queue[this.head]!;
			this.head++;
			if (this.head > 4096 && this.head * 2 > this.queue.length) {
				this.queue = this.queue.slice(this.head);
				this.head = 0;
			}
			taken++;
			if (packet.data && this.random() < this.faults.drop) {
				this.stats.dropped++;
				continue;
			}
			packet.deliver();
			this.stats.delivered++;
			if (packet.data && this.random() < this.faults.duplicate) {
				this.stats.duplicated++;
				packet.deliver();
			}
		}
		return taken;
	}

	/** Queues a packet (or a connection event) of `socket`. */
	push(socket: SimSocket, data: boolean, deliver: () => void): void {
		this.stats.sent++;
		this.queue.push({ socket, data, deliver });
		if (this.auto && !this.pumping) {
			this.pumping = true;
			setTimeout(() => {
				this.pumping = false;
				this.deliver();
			}, 0);
		}
	}

	track(device: string, socket: SimSocket): void {
		let set = this.sockets.get(device);
		if (!set) this.sockets.set(device, (set = new Set()));
		set.add(socket);
	}

	untrack(device: string, socket: SimSocket): void {
		this.sockets.get(device)?.delete(socket);
	}
}

/** A WebSocket class bound to one device of a network. */
function socketClassFor(net: SimNetwork, device: string): new (url: string) => SimSocket {
	return class implements SimSocket {
		readyState = CONNECTING;
		binaryType = 'arraybuffer';
		onopen: (() => void) | null = null;
		onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
		onclose: ((event: { code: number; reason: string }) => void) | null = null;
		onerror: ((event: unknown) => void) | null = null;
		readonly OPEN = OPEN;
		private readonly room: string;
		private readonly token: string | null;
		private readonly peer: RelayPeer;

		constructor(url: string) {
			const parsed = new URL(url);
			this.room = decodeURIComponent(parsed.pathname.slice(1));
			this.token = parsed.searchParams.get('token');
			this.peer = {
				send: (data) =>
					net.push(this, true, () => {
						if (this.readyState === OPEN) this.onmessage?.({ data: toArrayBuffer(data) });
					}),
				close: (code, reason) => net.push(this, false, () => this.closed(code, reason))
			};
			net.track(device, this);
			net.push(this, false, () => this.open());
		}

		private open(): void {
			if (this.readyState !== CONNECTING) return;
			if (net.isPartitioned(device)) return this.closed(1006, 'unreachable');
			if (!net.relay.connect(this.peer, this.room, this.token)) return;
			this.readyState = OPEN;
			this.onopen?.();
		}

		closed(code: number, reason: string): void {
			if (this.readyState === CLOSED) return;
			this.readyState = CLOSED;
			net.relay.disconnect(this.peer, this.room);
			net.untrack(device, this);
			this.onclose?.({ code, reason });
		}

		send(data: Uint8Array): void {
			if (this.readyState !== OPEN) return;
			net.push(this, true, () => net.relay.receive(this.peer, this.room, data));
		}

		close(): void {
			if (this.readyState === CLOSED) return;
			this.readyState = CLOSED;
			net.relay.disconnect(this.peer, this.room);
			net.untrack(device, this);
		}
	};
}

function toArrayBuffer(data: Uint8Array): ArrayBuffer {
	if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data.buffer as ArrayBuffer;
	return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}
