/**
 * What a relay needs from the bus that links several relay processes (scale/redis-bus.ts implements it with
 * Redis pub/sub). Without a bus (the embedded default) a relay is alone and none of this happens.
 *
 * A relay publishes every update it has stored, with its own id so it ignores its echo; the others apply it
 * to their loaded copy of the document and forward it to their sockets, without storing it again. Messages
 * can be lost (a dropped connection), so a bus also says when a room must catch up from the store instead.
 */
export interface BusMetrics {
	relayId: string;
	connected: boolean;
	published: number;
	publishFailures: number;
	received: number;
	echoesIgnored: number;
	malformed: number;
	revocationsSent: number;
	revocationsReceived: number;
	resyncs: number;
}

export interface BusHandlers {
	/** an update another relay stored */
	update(doc: string, update: Uint8Array): void;
	/** a device revoked through another relay: close its sockets here too */
	revoked(device: string): void;
	/** messages may have been lost: reload these documents (every loaded one when undefined) from the store */
	resync(docs: readonly string[] | undefined): void;
}

export interface RelayBus {
	readonly relayId: string;
	/** Starts delivering a document's updates; resolves once the subscription is in place. */
	subscribe(doc: string): Promise<void>;
	unsubscribe(doc: string): Promise<void>;
	/** Resolves once the bus has taken the update; rejects (quickly) when it cannot. */
	publishUpdate(doc: string, update: Uint8Array): Promise<void>;
	publishRevocation(device: string): Promise<void>;
	setHandlers(handlers: BusHandlers): void;
	metrics(): BusMetrics;
	close(): Promise<void>;
}
