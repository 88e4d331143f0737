/**
 * Acknowledgement: an outbox row may leave the outbox only when the relay has its update (invariant 2).
 *
 * "The relay has it" is read from the relay's own state vector, which it sends in a sync step 1 — when a socket
 * opens, and in answer to MESSAGE_QUERY_STATE_VECTOR. A state vector counts only integrated updates, so an update
 * the relay merely holds as pending (a gap before it, or one it refused) is never taken for delivered. Step 2
 * replies are not used for this: Yjs includes pending structs in them.
 *
 * A row is acknowledged when the item that holds its key (in the local document, now) is covered: the relay's
 * clock for the item's client is past the item's clock. Re-reading the item each time handles the key being taken
 * over by another device's higher version (then that version is what must reach the relay) and re-writes.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_QUERY_STATE_VECTOR } from './protocol';

export interface ItemRef {
	client: number;
	clock: number;
}

/** The item currently holding `key` in a root map, or undefined when the key has no live value. */
export function currentItem(map: Y.Map<unknown>, key: string): ItemRef | undefined {
	const item = map._map.get(key);
	if (!item || item.deleted) return undefined;
	return { client: item.id.client, clock: item.id.clock };
}

/** Whether a relay state vector covers an item. */
export function covers(relay: ReadonlyMap<number, number> | null, item: ItemRef): boolean {
	return relay !== null && (relay.get(item.client) ?? 0) > item.clock;
}

const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;

/** The state vector inside a websocket message, if it is a sync step 1 (the relay's state). */
export function stateVectorOf(message: Uint8Array): Map<number, number> | undefined {
	try {
		const decoder = decoding.createDecoder(message);
		if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return undefined;
		if (decoding.readVarUint(decoder) !== SYNC_STEP1) return undefined;
		return Y.decodeStateVector(decoding.readVarUint8Array(decoder));
	} catch {
		return undefined;
	}
}

/** The query message (one varuint). */
export function queryMessage(): Uint8Array<ArrayBuffer> {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_QUERY_STATE_VECTOR);
	return new Uint8Array(encoding.toUint8Array(encoder));
}

/**
 * Lets the engine see the relay's state vectors on a y-websocket provider: wraps its sync handler (a per-provider
 * copy, so other providers are untouched) to peek at step 1 messages before the provider answers them with the
 * step 2 that carries whatever the relay lacks.
 */
export function watchRelayStateVector(
	provider: WebsocketProvider,
	onStateVector: (sv: Map<number, number>) => void
): void {
	const original = provider.messageHandlers[MESSAGE_SYNC];
	if (!original) throw new Error('y-websocket provider without a sync handler');
	provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
		const peek = decoding.clone(decoder);
		try {
			if (decoding.readVarUint(peek) === SYNC_STEP1)
				onStateVector(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
		} catch {
			// A malformed message: the original handler reports it.
		}
		original(encoder, decoder, p, emitSynced, type);
	};
}

/** Asks the relay for its state vector; false when the socket is not open. */
export function queryRelay(provider: WebsocketProvider): boolean {
	const ws = provider.ws;
	if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return false;
	ws.send(queryMessage());
	return true;
}
